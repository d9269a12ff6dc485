/**
 * Argo Rollouts and Argo Workflows.
 * Rollout: spec.template is a PodTemplateSpec (a Rollout using `workloadRef` has none: its Deployment is checked):
 * https://github.com/argoproj/argo-rollouts/blob/master/manifests/crds/rollout-crd.yaml
 * An Experiment's spec.templates[*].template is a PodTemplateSpec:
 * https://github.com/argoproj/argo-rollouts/blob/master/pkg/apis/rollouts/v1alpha1/experiment_types.go.
 * An AnalysisTemplate, ClusterAnalysisTemplate or AnalysisRun lists metrics whose `job` provider holds a batch/v1
 * JobSpec at spec.metrics[*].provider.job.spec:
 * https://github.com/argoproj/argo-rollouts/blob/master/pkg/apis/rollouts/v1alpha1/analysis_types.go
 * Workflow templates: `container` and `script` are containers, `initContainers` and `sidecars` lists of
 * UserContainer, `containerSet.containers` a list of ContainerNode; a DAG task or a step may hold a whole template
 * at `inline`; WorkflowSpec carries the pod-level fields
 * (imagePullSecrets, serviceAccountName, nodeSelector, affinity, tolerations); a CronWorkflow holds a WorkflowSpec at
 * spec.workflowSpec: https://github.com/argoproj/argo-workflows/blob/main/pkg/apis/workflow/v1alpha1/workflow_types.go
 */
import { customWorkload, type CustomWorkloadKind } from '../custom-workload-kind.js';

const GROUP = 'argoproj.io';
const VERSION = 'v1alpha1';

/**
 * The image-bearing fields of a WorkflowSpec's templates, under `base` ('spec' or 'spec.workflowSpec'): each template,
 * and each template written inline in a DAG task (`dag.tasks[*].inline`) or a step (`steps[*][*].inline`).
 */
function workflowSpec(base: string) {
  const templates = [
    `${base}.templates[*]`,
    `${base}.templates[*].dag.tasks[*].inline`,
    `${base}.templates[*].steps[*][*].inline`,
  ];
  return {
    initContainers: templates.map((template) => `${template}.initContainers[*]`),
    containers: templates.flatMap((template) => [
      `${template}.container`,
      `${template}.script`,
      `${template}.sidecars[*]`,
      `${template}.containerSet.containers[*]`,
    ]),
    podFields: base,
  };
}

export const ARGO_KINDS: readonly CustomWorkloadKind[] = Object.freeze([
  customWorkload({
    group: GROUP,
    version: VERSION,
    kind: 'Rollout',
    resource: 'rollouts',
    podSpecs: ['spec.template.spec'],
  }),
  customWorkload({
    group: GROUP,
    version: VERSION,
    kind: 'Experiment',
    resource: 'experiments',
    podSpecs: ['spec.templates[*].template.spec'],
  }),
  ...(
    [
      ['AnalysisTemplate', 'analysistemplates'],
      ['ClusterAnalysisTemplate', 'clusteranalysistemplates'],
      ['AnalysisRun', 'analysisruns'],
    ] as const
  ).map(([kind, resource]) =>
    customWorkload({
      group: GROUP,
      version: VERSION,
      kind,
      resource,
      podSpecs: ['spec.metrics[*].provider.job.spec.template.spec'],
    }),
  ),
  customWorkload({ group: GROUP, version: VERSION, kind: 'Workflow', resource: 'workflows', ...workflowSpec('spec') }),
  customWorkload({
    group: GROUP,
    version: VERSION,
    kind: 'WorkflowTemplate',
    resource: 'workflowtemplates',
    ...workflowSpec('spec'),
  }),
  customWorkload({
    group: GROUP,
    version: VERSION,
    kind: 'ClusterWorkflowTemplate',
    resource: 'clusterworkflowtemplates',
    ...workflowSpec('spec'),
  }),
  customWorkload({
    group: GROUP,
    version: VERSION,
    kind: 'CronWorkflow',
    resource: 'cronworkflows',
    ...workflowSpec('spec.workflowSpec'),
  }),
]);
