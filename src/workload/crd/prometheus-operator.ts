/**
 * Prometheus Operator (monitoring.coreos.com): a Prometheus, PrometheusAgent, Alertmanager or ThanosRuler spec names
 * the main container's image at spec.image (with spec.imagePullPolicy), may add or patch containers and init
 * containers at spec.containers and spec.initContainers, and carries the pods' imagePullSecrets, serviceAccountName,
 * nodeSelector, affinity and tolerations itself; a Prometheus's Thanos sidecar image is spec.thanos.image:
 * https://github.com/prometheus-operator/prometheus-operator/blob/main/pkg/apis/monitoring/v1/prometheus_types.go,
 * https://github.com/prometheus-operator/prometheus-operator/blob/main/pkg/apis/monitoring/v1/alertmanager_types.go,
 * https://github.com/prometheus-operator/prometheus-operator/blob/main/pkg/apis/monitoring/v1/thanos_types.go,
 * https://github.com/prometheus-operator/prometheus-operator/blob/main/pkg/apis/monitoring/v1alpha1/prometheusagent_types.go
 */
import { customWorkload, type CustomWorkloadKind } from '../custom-workload-kind.js';

const GROUP = 'monitoring.coreos.com';

/** The image-bearing fields of a spec that describes its own pods. */
const OWN_PODS = {
  initContainers: ['spec.initContainers[*]'],
  containers: ['spec', 'spec.containers[*]'],
  podFields: 'spec',
};

export const PROMETHEUS_OPERATOR_KINDS: readonly CustomWorkloadKind[] = Object.freeze([
  customWorkload({
    group: GROUP,
    version: 'v1',
    kind: 'Prometheus',
    resource: 'prometheuses',
    ...OWN_PODS,
    containers: [...OWN_PODS.containers, 'spec.thanos'],
  }),
  customWorkload({
    group: GROUP,
    version: 'v1alpha1',
    kind: 'PrometheusAgent',
    resource: 'prometheusagents',
    ...OWN_PODS,
  }),
  customWorkload({ group: GROUP, version: 'v1', kind: 'Alertmanager', resource: 'alertmanagers', ...OWN_PODS }),
  customWorkload({ group: GROUP, version: 'v1', kind: 'ThanosRuler', resource: 'thanosrulers', ...OWN_PODS }),
]);
