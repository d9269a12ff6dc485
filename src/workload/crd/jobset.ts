/**
 * JobSet: each of spec.replicatedJobs is a ReplicatedJob whose `template` is a batch/v1 JobTemplateSpec, so its pod
 * spec sits at template.spec.template.spec:
 * https://github.com/kubernetes-sigs/jobset/blob/main/api/jobset/v1alpha2/jobset_types.go
 */
import { customWorkload, type CustomWorkloadKind } from '../custom-workload-kind.js';

/** The pod specs of a JobSetSpec at `base` (also embedded by Kubeflow Trainer's runtimes, ./kubeflow-trainer.ts). */
export function jobSetPodSpecs(base: string): string[] {
  return [`${base}.replicatedJobs[*].template.spec.template.spec`];
}

export const JOBSET_KINDS: readonly CustomWorkloadKind[] = Object.freeze([
  customWorkload({
    group: 'jobset.x-k8s.io',
    version: 'v1alpha2',
    kind: 'JobSet',
    resource: 'jobsets',
    podSpecs: jobSetPodSpecs('spec'),
  }),
]);
