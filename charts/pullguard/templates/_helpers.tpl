{{/* The chart's name: nameOverride, else the chart name (Kubernetes names stop at 63 characters). */}}
{{- define "pullguard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The base name of every object: fullnameOverride, else the release name when it already holds the chart's name
(`helm install pullguard` gives `pullguard`, as manifests/base), else "<release>-<name>".
*/}}
{{- define "pullguard.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := include "pullguard.name" . }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels of every object: https://helm.sh/docs/chart_best_practices/labels/ */}}
{{- define "pullguard.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "pullguard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The webhook Pods' selector, as manifests/base: name and component (immutable once installed). */}}
{{- define "pullguard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pullguard.name" . }}
app.kubernetes.io/component: webhook
{{- end }}

{{/*
The Secret holding tls.crt and tls.key: `certificates.existingSecret` in existingSecret mode, else "<fullname>-tls",
which the certs Jobs (certs-jobs.yaml) or cert-manager (cert-manager.yaml) write.
*/}}
{{- define "pullguard.tlsSecretName" -}}
{{- $generated := printf "%s-tls" (include "pullguard.fullname" .) }}
{{- if eq .Values.certificates.mode "existingSecret" }}
{{- default $generated .Values.certificates.existingSecret }}
{{- else if .Values.certificates.existingSecret }}
{{- fail "certificates.existingSecret is read only with certificates.mode=existingSecret" }}
{{- else }}
{{- $generated }}
{{- end }}
{{- end }}

{{/* config.yaml as the ConfigMap carries it, but for the final newline the block scalar adds. */}}
{{- define "pullguard.configText" -}}
{{- toYaml .Values.config }}
{{- end }}

{{/*
The ConfigMap's name with a content hash, computed as kustomize's configMapGenerator does (sha256 of the JSON of
kind, data and an empty name, first 10 hex digits with 0,1,3,a,e mapped to g,h,k,m,t:
https://github.com/kubernetes-sigs/kustomize/blob/master/api/hasher/hasher.go), so a config change rolls the
Deployment in both installs.
*/}}
{{- define "pullguard.configMapName" -}}
{{- $name := printf "%s-config" (include "pullguard.fullname" .) }}
{{- $data := dict "config.yaml" (printf "%s\n" (include "pullguard.configText" .)) }}
{{- $hex := toJson (dict "data" $data "kind" "ConfigMap" "name" "") | sha256sum | trunc 10 }}
{{- $hash := $hex | replace "0" "g" | replace "1" "h" | replace "3" "k" | replace "a" "m" | replace "e" "t" }}
{{- printf "%s-%s" $name $hash }}
{{- end }}

{{/*
Annotations of the certs hooks' ServiceAccount and RBAC: created before each Job of both phases and deleted once the
phase succeeded (https://helm.sh/docs/topics/charts_hooks/). Under plain `kubectl apply` they are ordinary objects.
*/}}
{{- define "pullguard.certsHookAnnotations" -}}
helm.sh/hook: pre-install,pre-upgrade,post-install,post-upgrade
helm.sh/hook-weight: "-5"
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end }}

{{/* Labels of the certs hooks: never component webhook, so no selector of the webhook Pods picks them. */}}
{{- define "pullguard.certsLabels" -}}
{{ include "pullguard.labels" . }}
app.kubernetes.io/component: certificates
{{- end }}

{{/* `pullguard certs` writing the Secret "<fullname>-tls" for the Service "<fullname>" (docs/install.md). */}}
{{- define "pullguard.certsArgs" -}}
- certs
- --secret
- {{ include "pullguard.fullname" . }}-tls
- --namespace
- {{ .Release.Namespace }}
- --service
- {{ include "pullguard.fullname" . }}
- --days
- {{ .Values.certificates.generate.days | quote }}
{{- range .Values.certificates.generate.extraSans }}
- --san
- {{ . | quote }}
{{- end }}
{{- end }}
