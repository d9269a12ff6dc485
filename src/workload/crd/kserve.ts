/**
 * KServe InferenceService (v1beta1): the predictor, transformer and explainer specs each inline a core PodSpec; the
 * predictor's `workerSpec` (multi-node serving) inlines another. The predictor's model fields (`model` and the
 * framework shorthands) and the explainer's `art` each inline a core Container, whose `image` overrides the serving
 * runtime's. Those bare containers are viewed with the predictor's pod-level fields (pull secrets, service
 * account): https://github.com/kserve/kserve/blob/master/pkg/apis/serving/v1beta1/predictor.go,
 * https://github.com/kserve/kserve/blob/master/pkg/apis/serving/v1beta1/explainer.go.
 * A ServingRuntime or (cluster-scoped) ClusterServingRuntime inlines a pod spec (containers, volumes, pull secrets,
 * scheduling fields) in its spec, and another at spec.workerSpec for multi-node serving; a (cluster-scoped)
 * ClusterStorageContainer holds the storage initializer's core Container at spec.container:
 * https://github.com/kserve/kserve/blob/master/pkg/apis/serving/v1alpha1/servingruntime_types.go,
 * https://github.com/kserve/kserve/blob/master/pkg/apis/serving/v1alpha1/storage_container_types.go
 */
import { customWorkload, type CustomWorkloadKind } from '../custom-workload-kind.js';

const GROUP = 'serving.kserve.io';
const RUNTIME_POD_SPECS = ['spec', 'spec.workerSpec'];

const PREDICTOR_MODELS = [
  'model',
  'sklearn',
  'xgboost',
  'tensorflow',
  'pytorch',
  'triton',
  'onnx',
  'huggingface',
  'pmml',
  'lightgbm',
  'paddle',
] as const;

export const KSERVE_KINDS: readonly CustomWorkloadKind[] = Object.freeze([
  customWorkload({
    group: GROUP,
    version: 'v1beta1',
    kind: 'InferenceService',
    resource: 'inferenceservices',
    podSpecs: ['spec.predictor', 'spec.predictor.workerSpec', 'spec.transformer', 'spec.explainer'],
    containers: [...PREDICTOR_MODELS.map((model) => `spec.predictor.${model}`), 'spec.explainer.art'],
    podFields: 'spec.predictor',
  }),
  customWorkload({
    group: GROUP,
    version: 'v1alpha1',
    kind: 'ServingRuntime',
    resource: 'servingruntimes',
    podSpecs: RUNTIME_POD_SPECS,
  }),
  customWorkload({
    group: GROUP,
    version: 'v1alpha1',
    kind: 'ClusterServingRuntime',
    resource: 'clusterservingruntimes',
    podSpecs: RUNTIME_POD_SPECS,
  }),
  customWorkload({
    group: GROUP,
    version: 'v1alpha1',
    kind: 'ClusterStorageContainer',
    resource: 'clusterstoragecontainers',
    containers: ['spec.container'],
  }),
]);
