/**
 * Tekton Pipelines: a TaskSpec lists `steps` and `sidecars` (containers) and may set `stepTemplate.image` for steps
 * that name none; a Pipeline's `tasks` and `finally` may embed a TaskSpec at `taskSpec`; a TaskRun embeds a TaskSpec
 * at spec.taskSpec and a PipelineRun a PipelineSpec at spec.pipelineSpec. A run's pod-level fields live in its
 * `podTemplate` (spec.podTemplate; PipelineRun: spec.taskRunTemplate.podTemplate):
 * https://github.com/tektoncd/pipeline/blob/main/pkg/apis/pipeline/v1/task_types.go,
 * https://github.com/tektoncd/pipeline/blob/main/pkg/apis/pipeline/v1/pipeline_types.go,
 * https://github.com/tektoncd/pipeline/blob/main/pkg/apis/pipeline/pod/template.go
 */
import { customWorkload, type CustomWorkloadKind } from '../custom-workload-kind.js';

const GROUP = 'tekton.dev';

/** The containers of a TaskSpec at `base`. */
function taskSpec(base: string): string[] {
  return [`${base}.steps[*]`, `${base}.sidecars[*]`, `${base}.stepTemplate`];
}

/** The containers of the TaskSpecs embedded in a PipelineSpec at `base`. */
function pipelineSpec(base: string): string[] {
  return [...taskSpec(`${base}.tasks[*].taskSpec`), ...taskSpec(`${base}.finally[*].taskSpec`)];
}

export const TEKTON_KINDS: readonly CustomWorkloadKind[] = Object.freeze([
  customWorkload({ group: GROUP, version: 'v1', kind: 'Task', resource: 'tasks', containers: taskSpec('spec') }),
  customWorkload({
    group: GROUP,
    version: 'v1beta1',
    kind: 'ClusterTask',
    resource: 'clustertasks',
    containers: taskSpec('spec'),
  }),
  customWorkload({
    group: GROUP,
    version: 'v1',
    kind: 'Pipeline',
    resource: 'pipelines',
    containers: pipelineSpec('spec'),
  }),
  customWorkload({
    group: GROUP,
    version: 'v1',
    kind: 'TaskRun',
    resource: 'taskruns',
    containers: taskSpec('spec.taskSpec'),
    podFields: 'spec.podTemplate',
  }),
  customWorkload({
    group: GROUP,
    version: 'v1',
    kind: 'PipelineRun',
    resource: 'pipelineruns',
    containers: pipelineSpec('spec.pipelineSpec'),
    podFields: 'spec.taskRunTemplate.podTemplate',
  }),
]);
