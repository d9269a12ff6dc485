/**
 * KubeRay: a RayClusterSpec keeps PodTemplateSpecs at headGroupSpec.template and workerGroupSpecs[*].template, and
 * may override the autoscaler sidecar's image at autoscalerOptions.image (with its imagePullPolicy; the sidecar runs
 * in the head pod, so the head pod's fields apply):
 * https://github.com/ray-project/kuberay/blob/master/ray-operator/apis/ray/v1/raycluster_types.go.
 * A RayJob embeds a RayClusterSpec at spec.rayClusterSpec and the submitter's PodTemplateSpec at
 * spec.submitterPodTemplate: https://github.com/ray-project/kuberay/blob/master/ray-operator/apis/ray/v1/rayjob_types.go.
 * A RayService embeds a RayClusterSpec at spec.rayClusterConfig:
 * https://github.com/ray-project/kuberay/blob/master/ray-operator/apis/ray/v1/rayservice_types.go
 */
import { customWorkload, type CustomWorkloadKind } from '../custom-workload-kind.js';

const GROUP = 'ray.io';
const VERSION = 'v1';

/** The image-bearing fields of a RayClusterSpec at `base`. */
function rayClusterSpec(base: string) {
  return {
    podSpecs: [`${base}.headGroupSpec.template.spec`, `${base}.workerGroupSpecs[*].template.spec`],
    containers: [`${base}.autoscalerOptions`],
    podFields: `${base}.headGroupSpec.template.spec`,
  };
}

export const RAY_KINDS: readonly CustomWorkloadKind[] = Object.freeze([
  customWorkload({
    group: GROUP,
    version: VERSION,
    kind: 'RayCluster',
    resource: 'rayclusters',
    ...rayClusterSpec('spec'),
  }),
  customWorkload({
    group: GROUP,
    version: VERSION,
    kind: 'RayJob',
    resource: 'rayjobs',
    ...rayClusterSpec('spec.rayClusterSpec'),
    podSpecs: [...rayClusterSpec('spec.rayClusterSpec').podSpecs, 'spec.submitterPodTemplate.spec'],
  }),
  customWorkload({
    group: GROUP,
    version: VERSION,
    kind: 'RayService',
    resource: 'rayservices',
    ...rayClusterSpec('spec.rayClusterConfig'),
  }),
]);
