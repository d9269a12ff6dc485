/**
 * KServe InferenceService (v1beta1): the predictor, transformer and explainer specs each inline a core PodSpec; the
 * predictor's `workerSpec` (multi-node serving) inlines another. The predictor's model fields (`model` and the
 * framework shorthands) and the explainer's `art` each inline a core Container, whose `image` overrides the serving
 * runtime's. Those bare containers are viewed with the predictor's pod-level fields (pull secrets, service
 * account): https://github.com/kserve/kserve/blob/master/pkg/apis/serving/v1beta1/predictor.go,
 * https://github.com/kserve/kserve/blob/master/pkg/apis/serving/v1beta1/explainer.go
 */
import { customWorkload, type CustomWorkloadKind } from '../custom-workload-kind.js';

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
    group: 'serving.kserve.io',
    version: 'v1beta1',
    kind: 'InferenceService',
    resource: 'inferenceservices',
    podSpecs: ['spec.predictor', 'spec.predictor.workerSpec', 'spec.transformer', 'spec.explainer'],
    containers: [...PREDICTOR_MODELS.map((model) => `spec.predictor.${model}`), 'spec.explainer.art'],
    podFields: 'spec.predictor',
  }),
]);
