{{/*
The rules of manifests/overlays/custom-resources/webhook-rules.yaml: one per API group of the custom resources
pullguard reads (docs/design.md §1.1), after the built-in rules. apiVersions "*": these CRDs serve several versions
and their image fields have not moved between them. Scope "*" where a group has cluster-scoped kinds.
*/}}
{{- define "pullguard.customResourceRules" -}}
- apiGroups: [argoproj.io]
  apiVersions: ["*"]
  operations: [CREATE, UPDATE]
  resources:
    - rollouts
    - experiments
    - analysistemplates
    - clusteranalysistemplates
    - analysisruns
    - workflows
    - workflowtemplates
    - clusterworkflowtemplates
    - cronworkflows
  scope: "*"
- apiGroups: [tekton.dev]
  apiVersions: ["*"]
  operations: [CREATE, UPDATE]
  resources: [tasks, clustertasks, pipelines, taskruns, pipelineruns]
  scope: "*"
- apiGroups: [serving.knative.dev]
  apiVersions: ["*"]
  operations: [CREATE, UPDATE]
  resources: [services, configurations, revisions]
  scope: Namespaced
- apiGroups: [sources.knative.dev]
  apiVersions: ["*"]
  operations: [CREATE, UPDATE]
  resources: [containersources]
  scope: Namespaced
- apiGroups: [serving.kserve.io]
  apiVersions: ["*"]
  operations: [CREATE, UPDATE]
  resources: [inferenceservices, servingruntimes, clusterservingruntimes, clusterstoragecontainers]
  scope: "*"
- apiGroups: [jobset.x-k8s.io]
  apiVersions: ["*"]
  operations: [CREATE, UPDATE]
  resources: [jobsets]
  scope: Namespaced
- apiGroups: [leaderworkerset.x-k8s.io]
  apiVersions: ["*"]
  operations: [CREATE, UPDATE]
  resources: [leaderworkersets]
  scope: Namespaced
- apiGroups: [ray.io]
  apiVersions: ["*"]
  operations: [CREATE, UPDATE]
  resources: [rayclusters, rayjobs, rayservices]
  scope: Namespaced
- apiGroups: [kubeflow.org]
  apiVersions: ["*"]
  operations: [CREATE, UPDATE]
  resources: [pytorchjobs, tfjobs, mpijobs, xgboostjobs, paddlejobs, jaxjobs, notebooks]
  scope: Namespaced
- apiGroups: [trainer.kubeflow.org]
  apiVersions: ["*"]
  operations: [CREATE, UPDATE]
  resources: [trainingruntimes, clustertrainingruntimes]
  scope: "*"
- apiGroups: [apps.kruise.io]
  apiVersions: ["*"]
  operations: [CREATE, UPDATE]
  resources: [clonesets, statefulsets, daemonsets, broadcastjobs, advancedcronjobs, uniteddeployments, sidecarsets]
  scope: "*"
{{- end }}
