/**
 * Where a fix goes: the workload that owns the pod (its pod template), or the pod itself. A Pod's spec is immutable
 * except for a few fields, the container images among them
 * (https://kubernetes.io/docs/concepts/workloads/pods/#pod-update-and-replacement), and a Job's pod template cannot
 * change at all (https://kubernetes.io/docs/concepts/workloads/controllers/job/), so those must be recreated.
 */
import type { Owner } from './container-facts.js';

export type Target =
  /** A workload with a pod template: `kubectl set image` and `kubectl patch` reach the next pods. */
  | {
      readonly kind: 'template';
      readonly resource: string;
      readonly name: string;
      readonly specPath: readonly string[];
    }
  /** A bare Pod: its images can be set in place, anything else means recreating it. */
  | { readonly kind: 'pod'; readonly name: string }
  /** A Job, or a kind pullguard has no command for: say what to change, print no command. */
  | { readonly kind: 'recreate'; readonly what: string };

/** The kinds `kubectl set image` accepts that own pods, and where each keeps its pod spec. */
const TEMPLATES: Readonly<Record<string, { readonly resource: string; readonly specPath: readonly string[] }>> = {
  Deployment: { resource: 'deployment', specPath: ['spec', 'template', 'spec'] },
  StatefulSet: { resource: 'statefulset', specPath: ['spec', 'template', 'spec'] },
  DaemonSet: { resource: 'daemonset', specPath: ['spec', 'template', 'spec'] },
  ReplicaSet: { resource: 'replicaset', specPath: ['spec', 'template', 'spec'] },
  ReplicationController: { resource: 'replicationcontroller', specPath: ['spec', 'template', 'spec'] },
  CronJob: { resource: 'cronjob', specPath: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
};

export function targetOf(pod: string, owner: Owner | undefined): Target {
  if (owner === undefined) return { kind: 'pod', name: pod };
  const template = Object.hasOwn(TEMPLATES, owner.kind) ? TEMPLATES[owner.kind] : undefined;
  if (template) return { kind: 'template', resource: template.resource, name: owner.name, specPath: template.specPath };
  if (owner.kind === 'Job')
    return { kind: 'recreate', what: `job ${owner.name} (a Job's pod template cannot change: recreate the Job)` };
  return { kind: 'recreate', what: `the pod template of ${owner.kind} ${owner.name}` };
}

/** `{"spec":{"template":{"spec":BODY}}}` for a strategic merge patch at the target's pod spec. */
export function atPodSpec(specPath: readonly string[], body: unknown): unknown {
  return specPath.reduceRight<unknown>((inner, key) => ({ [key]: inner }), body);
}
