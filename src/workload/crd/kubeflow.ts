/**
 * Kubeflow training jobs (training-operator v1, kubeflow.org/v1): each job's spec maps a replica type (Master,
 * Worker, Chief, PS, Launcher, …) to a ReplicaSpec whose `template` is a PodTemplateSpec, under a field named per
 * framework: https://github.com/kubeflow/training-operator/blob/release-1.9/pkg/apis/kubeflow.org/v1/pytorch_types.go,
 * https://github.com/kubeflow/training-operator/blob/release-1.9/pkg/apis/kubeflow.org/v1/tensorflow_types.go,
 * https://github.com/kubeflow/training-operator/blob/release-1.9/pkg/apis/kubeflow.org/v1/mpi_types.go,
 * https://github.com/kubeflow/training-operator/blob/release-1.9/pkg/apis/kubeflow.org/v1/xgboost_types.go,
 * https://github.com/kubeflow/training-operator/blob/release-1.9/pkg/apis/kubeflow.org/v1/paddlepaddle_types.go,
 * https://github.com/kubeflow/training-operator/blob/release-1.9/pkg/apis/kubeflow.org/v1/jax_types.go.
 * The MPI Operator's MPIJob (kubeflow.org/v2beta1) keeps the same `mpiReplicaSpecs` map:
 * https://github.com/kubeflow/mpi-operator/blob/master/pkg/apis/kubeflow/v2beta1/types.go.
 * A Kubeflow Notebook (notebook controller) holds a core PodSpec at spec.template.spec:
 * https://github.com/kubeflow/kubeflow/blob/master/components/notebook-controller/api/v1/notebook_types.go
 */
import { customWorkload, type CustomWorkloadKind } from '../custom-workload-kind.js';

const GROUP = 'kubeflow.org';

/** kind, resource, served version of the row, and the replica-spec map's field. */
const JOBS = [
  ['PyTorchJob', 'pytorchjobs', 'v1', 'pytorchReplicaSpecs'],
  ['TFJob', 'tfjobs', 'v1', 'tfReplicaSpecs'],
  ['MPIJob', 'mpijobs', 'v2beta1', 'mpiReplicaSpecs'],
  ['XGBoostJob', 'xgboostjobs', 'v1', 'xgbReplicaSpecs'],
  ['PaddleJob', 'paddlejobs', 'v1', 'paddleReplicaSpecs'],
  ['JAXJob', 'jaxjobs', 'v1', 'jaxReplicaSpecs'],
] as const;

export const KUBEFLOW_KINDS: readonly CustomWorkloadKind[] = Object.freeze([
  ...JOBS.map(([kind, resource, version, replicaSpecs]) =>
    customWorkload({ group: GROUP, version, kind, resource, podSpecs: [`spec.${replicaSpecs}.*.template.spec`] }),
  ),
  customWorkload({
    group: GROUP,
    version: 'v1',
    kind: 'Notebook',
    resource: 'notebooks',
    podSpecs: ['spec.template.spec'],
  }),
]);
