/**
 * Kubeflow Trainer v2 (trainer.kubeflow.org): a TrainingRuntime or (cluster-scoped) ClusterTrainingRuntime holds a
 * JobSet template at spec.template, whose spec is a JobSetSpec:
 * https://github.com/kubeflow/trainer/blob/master/pkg/apis/trainer/v1alpha1/trainingruntime_types.go.
 * A TrainJob holds no pod template (it names its runtime; spec.trainer.image overrides the trainer's image but is not
 * a container), so it has no row; the JobSet the controller makes of it is reviewed like any JobSet:
 * https://github.com/kubeflow/trainer/blob/master/pkg/apis/trainer/v1alpha1/trainjob_types.go
 */
import { customWorkload, type CustomWorkloadKind } from '../custom-workload-kind.js';
import { jobSetPodSpecs } from './jobset.js';

const GROUP = 'trainer.kubeflow.org';
const VERSION = 'v1alpha1';

export const KUBEFLOW_TRAINER_KINDS: readonly CustomWorkloadKind[] = Object.freeze([
  customWorkload({
    group: GROUP,
    version: VERSION,
    kind: 'TrainingRuntime',
    resource: 'trainingruntimes',
    podSpecs: jobSetPodSpecs('spec.template.spec'),
  }),
  customWorkload({
    group: GROUP,
    version: VERSION,
    kind: 'ClusterTrainingRuntime',
    resource: 'clustertrainingruntimes',
    podSpecs: jobSetPodSpecs('spec.template.spec'),
  }),
]);
