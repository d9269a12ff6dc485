import t from 'tap';
import { formatFieldPath } from '../runtime/field-path.js';
import type { CustomWorkloadKind } from './custom-workload-kind.js';
import { CUSTOM_WORKLOAD_KINDS, findCustomWorkloadKind } from './custom-workloads.js';
import { findWorkloadKind } from './pod-spec-paths.js';

const ARGO_TEMPLATES = (base: string) => [
  `${base}.templates[*]`,
  `${base}.templates[*].dag.tasks[*].inline`,
  `${base}.templates[*].steps[*][*].inline`,
];
const ARGO_WF = (base: string) => ({
  containers: [
    ...ARGO_TEMPLATES(base).map((t) => `I ${t}.initContainers[*]`),
    ...ARGO_TEMPLATES(base).flatMap((t) => [
      `C ${t}.container`,
      `C ${t}.script`,
      `C ${t}.sidecars[*]`,
      `C ${t}.containerSet.containers[*]`,
    ]),
  ],
  podFields: base,
});
const TASK = (base: string) => [`C ${base}.steps[*]`, `C ${base}.sidecars[*]`, `C ${base}.stepTemplate`];
const PIPELINE = (base: string) => [...TASK(`${base}.tasks[*].taskSpec`), ...TASK(`${base}.finally[*].taskSpec`)];
const RAY = (base: string) => [`${base}.headGroupSpec.template.spec`, `${base}.workerGroupSpecs[*].template.spec`];
const REPLICAS = (field: string) => ({ podSpecs: [`spec.${field}.*.template.spec`] });
const RUNTIME = { podSpecs: ['spec.template.spec.replicatedJobs[*].template.spec.template.spec'] };
const ANALYSIS = { podSpecs: ['spec.metrics[*].provider.job.spec.template.spec'] };
const POD_TEMPLATE = { podSpecs: ['spec.template.spec'] };
const MODELS = ['model', 'sklearn', 'xgboost', 'tensorflow', 'pytorch', 'triton', 'onnx', 'huggingface', 'pmml'];

// Written out from the projects' published schemas (URLs in ./crd/*.ts), independently of the rows under test.
const EXPECTED: Record<
  string,
  { podSpecs?: string[]; containers?: string[]; podFields?: string; versions?: string[] }
> = {
  'argoproj.io/v1alpha1 Rollout rollouts': { podSpecs: ['spec.template.spec'] },
  'argoproj.io/v1alpha1 Experiment experiments': { podSpecs: ['spec.templates[*].template.spec'] },
  'argoproj.io/v1alpha1 AnalysisTemplate analysistemplates': ANALYSIS,
  'argoproj.io/v1alpha1 ClusterAnalysisTemplate clusteranalysistemplates': ANALYSIS,
  'argoproj.io/v1alpha1 AnalysisRun analysisruns': ANALYSIS,
  'argoproj.io/v1alpha1 Workflow workflows': ARGO_WF('spec'),
  'argoproj.io/v1alpha1 WorkflowTemplate workflowtemplates': ARGO_WF('spec'),
  'argoproj.io/v1alpha1 ClusterWorkflowTemplate clusterworkflowtemplates': ARGO_WF('spec'),
  'argoproj.io/v1alpha1 CronWorkflow cronworkflows': ARGO_WF('spec.workflowSpec'),
  'tekton.dev/v1 Task tasks': { containers: TASK('spec') },
  'tekton.dev/v1beta1 ClusterTask clustertasks': { containers: TASK('spec') },
  'tekton.dev/v1 Pipeline pipelines': { containers: PIPELINE('spec') },
  'tekton.dev/v1 TaskRun taskruns': { containers: TASK('spec.taskSpec'), podFields: 'spec.podTemplate' },
  'tekton.dev/v1 PipelineRun pipelineruns': {
    containers: PIPELINE('spec.pipelineSpec'),
    podFields: 'spec.taskRunTemplate.podTemplate',
  },
  // Serving's v1alpha1 kept the template elsewhere (spec.runLatest.configuration.revisionTemplate, ...)
  'serving.knative.dev/v1 Service services': { podSpecs: ['spec.template.spec'], versions: ['v1', 'v1beta1'] },
  'serving.knative.dev/v1 Configuration configurations': {
    podSpecs: ['spec.template.spec'],
    versions: ['v1', 'v1beta1'],
  },
  'serving.knative.dev/v1 Revision revisions': { podSpecs: ['spec'], versions: ['v1', 'v1beta1'] },
  'sources.knative.dev/v1 ContainerSource containersources': { podSpecs: ['spec.template.spec'] },
  'serving.kserve.io/v1beta1 InferenceService inferenceservices': {
    podSpecs: ['spec.predictor', 'spec.predictor.workerSpec', 'spec.transformer', 'spec.explainer'],
    containers: [...[...MODELS, 'lightgbm', 'paddle'].map((m) => `C spec.predictor.${m}`), 'C spec.explainer.art'],
    podFields: 'spec.predictor',
  },
  'serving.kserve.io/v1alpha1 ServingRuntime servingruntimes': { podSpecs: ['spec', 'spec.workerSpec'] },
  'serving.kserve.io/v1alpha1 ClusterServingRuntime clusterservingruntimes': { podSpecs: ['spec', 'spec.workerSpec'] },
  'serving.kserve.io/v1alpha1 ClusterStorageContainer clusterstoragecontainers': { containers: ['C spec.container'] },
  'jobset.x-k8s.io/v1alpha2 JobSet jobsets': { podSpecs: ['spec.replicatedJobs[*].template.spec.template.spec'] },
  'leaderworkerset.x-k8s.io/v1 LeaderWorkerSet leaderworkersets': {
    podSpecs: ['spec.leaderWorkerTemplate.leaderTemplate.spec', 'spec.leaderWorkerTemplate.workerTemplate.spec'],
  },
  'ray.io/v1 RayCluster rayclusters': { podSpecs: RAY('spec') },
  'ray.io/v1 RayJob rayjobs': { podSpecs: [...RAY('spec.rayClusterSpec'), 'spec.submitterPodTemplate.spec'] },
  'ray.io/v1 RayService rayservices': { podSpecs: RAY('spec.rayClusterConfig') },
  'kubeflow.org/v1 PyTorchJob pytorchjobs': REPLICAS('pytorchReplicaSpecs'),
  'kubeflow.org/v1 TFJob tfjobs': REPLICAS('tfReplicaSpecs'),
  'kubeflow.org/v2beta1 MPIJob mpijobs': REPLICAS('mpiReplicaSpecs'),
  'kubeflow.org/v1 XGBoostJob xgboostjobs': REPLICAS('xgbReplicaSpecs'),
  'kubeflow.org/v1 PaddleJob paddlejobs': REPLICAS('paddleReplicaSpecs'),
  'kubeflow.org/v1 JAXJob jaxjobs': REPLICAS('jaxReplicaSpecs'),
  'kubeflow.org/v1 Notebook notebooks': POD_TEMPLATE,
  'trainer.kubeflow.org/v1alpha1 TrainingRuntime trainingruntimes': RUNTIME,
  'trainer.kubeflow.org/v1alpha1 ClusterTrainingRuntime clustertrainingruntimes': RUNTIME,
  'apps.kruise.io/v1alpha1 CloneSet clonesets': POD_TEMPLATE,
  'apps.kruise.io/v1beta1 StatefulSet statefulsets': POD_TEMPLATE,
  'apps.kruise.io/v1alpha1 DaemonSet daemonsets': POD_TEMPLATE,
  'apps.kruise.io/v1alpha1 BroadcastJob broadcastjobs': POD_TEMPLATE,
  'apps.kruise.io/v1alpha1 AdvancedCronJob advancedcronjobs': {
    podSpecs: ['spec.template.jobTemplate.spec.template.spec', 'spec.template.broadcastJobTemplate.spec.template.spec'],
  },
  'apps.kruise.io/v1alpha1 UnitedDeployment uniteddeployments': {
    podSpecs: [
      'spec.template.statefulSetTemplate.spec.template.spec',
      'spec.template.advancedStatefulSetTemplate.spec.template.spec',
      'spec.template.cloneSetTemplate.spec.template.spec',
      'spec.template.deploymentTemplate.spec.template.spec',
    ],
  },
  'apps.kruise.io/v1alpha1 SidecarSet sidecarsets': {
    containers: ['I spec.initContainers[*]', 'C spec.containers[*]'],
    podFields: 'spec',
  },
};

function describe(row: CustomWorkloadKind) {
  return {
    ...(row.podSpecs.length ? { podSpecs: row.podSpecs.map(formatFieldPath) } : {}),
    ...(row.initContainers.length + row.containers.length
      ? {
          containers: [
            ...row.initContainers.map((path) => `I ${formatFieldPath(path)}`),
            ...row.containers.map((path) => `C ${formatFieldPath(path)}`),
          ],
        }
      : {}),
    ...(row.podFields ? { podFields: formatFieldPath(row.podFields) } : {}),
    ...(row.versions ? { versions: row.versions } : {}),
  };
}

t.test('the table lists exactly the expected kinds and paths', async (t) => {
  t.equal(CUSTOM_WORKLOAD_KINDS.length, Object.keys(EXPECTED).length);
  for (const [key, expected] of Object.entries(EXPECTED)) {
    const [apiVersion = '', kind = '', resource = ''] = key.split(' ');
    const [group = '', version = ''] = apiVersion.split('/');
    const row = findCustomWorkloadKind(group, kind);
    t.ok(row, `${group}/${kind} is found`);
    if (!row) continue;
    t.same({ version: row.version, resource: row.resource }, { version, resource }, key);
    t.same(describe(row), expected, key);
  }
});

t.test('lookup is by group and kind; no custom row shadows a built-in kind', async (t) => {
  t.equal(findCustomWorkloadKind('serving.knative.dev', 'Service')?.resource, 'services');
  t.equal(findCustomWorkloadKind('', 'Service'), undefined, 'the core Service is not a workload');
  t.equal(findCustomWorkloadKind('argoproj.io', 'rollout'), undefined, 'kinds are case-sensitive');
  t.equal(findCustomWorkloadKind('argoproj.io', 'Application'), undefined);
  t.equal(findCustomWorkloadKind('argoproj.io', 'constructor'), undefined);
  t.equal(findCustomWorkloadKind('apps', 'StatefulSet'), undefined, 'the built-in StatefulSet is not a custom row');
  t.equal(findCustomWorkloadKind('apps.kruise.io', 'StatefulSet')?.resource, 'statefulsets');
  for (const row of CUSTOM_WORKLOAD_KINDS) t.equal(findWorkloadKind(row.group, row.kind), undefined, row.kind);
});

t.test('the table is frozen', async (t) => {
  t.ok(Object.isFrozen(CUSTOM_WORKLOAD_KINDS));
  for (const row of CUSTOM_WORKLOAD_KINDS) t.ok(Object.isFrozen(row) && Object.isFrozen(row.podSpecs), row.kind);
});
