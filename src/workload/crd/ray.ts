/**
 * KubeRay: a RayClusterSpec keeps PodTemplateSpecs at headGroupSpec.template and workerGroupSpecs[*].template
 * (autoscalerOptions.image, an override of the operator-injected autoscaler sidecar's image, is not a container and is
 * not read; the head Pod that carries the sidecar is checked when it is created):
 * https://github.com/ray-project/kuberay/blob/master/ray-operator/apis/ray/v1/raycluster_types.go.
 * A RayJob embeds a RayClusterSpec at spec.rayClusterSpec and the submitter's PodTemplateSpec at
 * spec.submitterPodTemplate: https://github.com/ray-project/kuberay/blob/master/ray-operator/apis/ray/v1/rayjob_types.go.
 * A RayService embeds a RayClusterSpec at spec.rayClusterConfig:
 * https://github.com/ray-project/kuberay/blob/master/ray-operator/apis/ray/v1/rayservice_types.go
 */
import { customWorkload, type CustomWorkloadKind } from '../custom-workload-kind.js';

const GROUP = 'ray.io';
const VERSION = 'v1';

/** The pod specs of a RayClusterSpec at `base`. */
function rayClusterPodSpecs(base: string): string[] {
  return [`${base}.headGroupSpec.template.spec`, `${base}.workerGroupSpecs[*].template.spec`];
}

export const RAY_KINDS: readonly CustomWorkloadKind[] = Object.freeze([
  customWorkload({
    group: GROUP,
    version: VERSION,
    kind: 'RayCluster',
    resource: 'rayclusters',
    podSpecs: rayClusterPodSpecs('spec'),
  }),
  customWorkload({
    group: GROUP,
    version: VERSION,
    kind: 'RayJob',
    resource: 'rayjobs',
    podSpecs: [...rayClusterPodSpecs('spec.rayClusterSpec'), 'spec.submitterPodTemplate.spec'],
  }),
  customWorkload({
    group: GROUP,
    version: VERSION,
    kind: 'RayService',
    resource: 'rayservices',
    podSpecs: rayClusterPodSpecs('spec.rayClusterConfig'),
  }),
]);
