/**
 * OpenKruise (apps.kruise.io). CloneSet, Advanced StatefulSet (v1beta1, also served as v1alpha1), Advanced DaemonSet
 * and BroadcastJob keep a PodTemplateSpec at spec.template:
 * https://github.com/openkruise/kruise/blob/master/apis/apps/v1alpha1/cloneset_types.go,
 * https://github.com/openkruise/kruise/blob/master/apis/apps/v1beta1/statefulset_types.go,
 * https://github.com/openkruise/kruise/blob/master/apis/apps/v1alpha1/daemonset_types.go,
 * https://github.com/openkruise/kruise/blob/master/apis/apps/v1alpha1/broadcastjob_types.go.
 * An AdvancedCronJob's spec.template holds either a batch JobTemplateSpec (`jobTemplate`) or a BroadcastJob template
 * (`broadcastJobTemplate`): https://github.com/openkruise/kruise/blob/master/apis/apps/v1alpha1/advancedcronjob_types.go.
 * A UnitedDeployment's spec.template holds one workload template (StatefulSet, Advanced StatefulSet, CloneSet or
 * Deployment), each with a PodTemplateSpec at spec.template:
 * https://github.com/openkruise/kruise/blob/master/apis/apps/v1alpha1/uniteddeployment_types.go.
 * A (cluster-scoped) SidecarSet lists the containers and init containers it injects, with the pull secrets it adds:
 * https://github.com/openkruise/kruise/blob/master/apis/apps/v1alpha1/sidecarset_types.go
 */
import { customWorkload, type CustomWorkloadKind } from '../custom-workload-kind.js';

const GROUP = 'apps.kruise.io';
const TEMPLATE_SPEC = ['spec.template.spec'];
const UNITED_TEMPLATES = [
  'statefulSetTemplate',
  'advancedStatefulSetTemplate',
  'cloneSetTemplate',
  'deploymentTemplate',
];

export const KRUISE_KINDS: readonly CustomWorkloadKind[] = Object.freeze([
  customWorkload({
    group: GROUP,
    version: 'v1alpha1',
    kind: 'CloneSet',
    resource: 'clonesets',
    podSpecs: TEMPLATE_SPEC,
  }),
  customWorkload({
    group: GROUP,
    version: 'v1beta1',
    kind: 'StatefulSet',
    resource: 'statefulsets',
    podSpecs: TEMPLATE_SPEC,
  }),
  customWorkload({
    group: GROUP,
    version: 'v1alpha1',
    kind: 'DaemonSet',
    resource: 'daemonsets',
    podSpecs: TEMPLATE_SPEC,
  }),
  customWorkload({
    group: GROUP,
    version: 'v1alpha1',
    kind: 'BroadcastJob',
    resource: 'broadcastjobs',
    podSpecs: TEMPLATE_SPEC,
  }),
  customWorkload({
    group: GROUP,
    version: 'v1alpha1',
    kind: 'AdvancedCronJob',
    resource: 'advancedcronjobs',
    podSpecs: ['spec.template.jobTemplate.spec.template.spec', 'spec.template.broadcastJobTemplate.spec.template.spec'],
  }),
  customWorkload({
    group: GROUP,
    version: 'v1alpha1',
    kind: 'UnitedDeployment',
    resource: 'uniteddeployments',
    podSpecs: UNITED_TEMPLATES.map((template) => `spec.template.${template}.spec.template.spec`),
  }),
  customWorkload({
    group: GROUP,
    version: 'v1alpha1',
    kind: 'SidecarSet',
    resource: 'sidecarsets',
    initContainers: ['spec.initContainers[*]'],
    containers: ['spec.containers[*]'],
    podFields: 'spec',
  }),
]);
