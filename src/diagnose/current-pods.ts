/**
 * Which pods a workload is made of, from the lists the Kubernetes adapter fetches (untrusted JSON): the pods it
 * controls through `ownerReferences` (https://kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents/)
 * and that its selector matches, split into its current pods and older ones still around. A Deployment's current
 * pods are those of its newest ReplicaSet (the one whose `deployment.kubernetes.io/revision` annotation is the
 * Deployment's, https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go,
 * and whose `pod-template-hash` label the pods carry); a StatefulSet's, those of its `status.updateRevision`
 * (label `controller-revision-hash`); a CronJob's, those of its Jobs that have not finished. Pure; malformed items are
 * skipped; at most {@link MAX_ITEMS} items of a list are read.
 */
import Type, { type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { TargetKind } from './diagnose-args.js';
import { matchesSelector, type LabelSelector } from './label-selector.js';

export const MAX_ITEMS = 20_000;

export type WorkloadKind = Exclude<TargetKind, 'pod'>;

/** The lists the adapter fetches in the workload's namespace: always its pods; a Deployment's ReplicaSets; a CronJob's Jobs. */
export interface WorkloadLists {
  readonly pods: readonly unknown[];
  readonly replicaSets?: readonly unknown[];
  readonly jobs?: readonly unknown[];
}

/** Pod objects exactly as given (to read with `readFailingPod`), in list order. */
export type CurrentPodsReading =
  | {
      readonly ok: true;
      readonly current: readonly unknown[];
      readonly older: readonly unknown[];
      readonly truncated: boolean;
    }
  | { readonly ok: false; readonly problem: string };

const Maybe = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
const Strings = Type.Record(Type.String(), Type.String());
const ObjectSchema = Type.Object({
  metadata: Type.Object({
    name: Type.String({ minLength: 1 }),
    namespace: Maybe(Type.String()),
    uid: Maybe(Type.String()),
    labels: Maybe(Strings),
    annotations: Maybe(Strings),
    ownerReferences: Maybe(
      Type.Array(
        Type.Object({
          kind: Type.String(),
          name: Type.String(),
          uid: Maybe(Type.String()),
          controller: Maybe(Type.Boolean()),
        }),
      ),
    ),
  }),
  spec: Maybe(
    Type.Object({
      selector: Maybe(
        Type.Object({
          matchLabels: Maybe(Strings),
          matchExpressions: Maybe(
            Type.Array(
              Type.Object({ key: Type.String(), operator: Type.String(), values: Maybe(Type.Array(Type.String())) }),
            ),
          ),
        }),
      ),
    }),
  ),
  status: Maybe(
    Type.Object({
      updateRevision: Maybe(Type.String()),
      conditions: Maybe(Type.Array(Type.Object({ type: Type.String(), status: Type.String() }))),
    }),
  ),
});
const objectValidator = Compile(ObjectSchema);
type KubeObject = Type.Static<typeof ObjectSchema>;

const KIND_NAMES: Readonly<Record<WorkloadKind, string>> = {
  deployment: 'Deployment',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet',
  replicaset: 'ReplicaSet',
  job: 'Job',
  cronjob: 'CronJob',
};

export function currentPods(kind: WorkloadKind, workload: unknown, lists: WorkloadLists): CurrentPodsReading {
  if (!objectValidator.Check(workload)) return { ok: false, problem: `not a ${KIND_NAMES[kind]} object` };
  const pods = valid(lists.pods);
  const truncated = [lists.pods, lists.replicaSets ?? [], lists.jobs ?? []].some((list) => list.length > MAX_ITEMS);
  const split = (
    owners: readonly KubeObject[],
    ownerKind: string,
    isCurrent: (owner: KubeObject, pod: KubeObject) => boolean,
  ) => {
    const current: unknown[] = [];
    const older: unknown[] = [];
    for (const pod of pods) {
      const owner = owners.find((o) => controls(o, ownerKind, pod.object));
      if (owner) (isCurrent(owner, pod.object) ? current : older).push(pod.raw);
    }
    return { ok: true as const, current, older, truncated };
  };
  const owned = (list: readonly unknown[] | undefined, ownerKind: string) =>
    valid(list ?? [])
      .filter((item) => controls(workload, ownerKind, item.object))
      .map((item) => item.object);
  switch (kind) {
    case 'deployment': {
      const sets = owned(lists.replicaSets, 'Deployment');
      const newest = newestReplicaSet(workload, sets);
      return split(sets, 'ReplicaSet', (set, pod) => set === newest && sameTemplateHash(set, pod));
    }
    case 'statefulset': {
      const revision = workload.status?.updateRevision;
      return split(
        [workload],
        'StatefulSet',
        (_, pod) => !revision || label(pod, 'controller-revision-hash') === revision,
      );
    }
    case 'cronjob': {
      const jobs = owned(lists.jobs, 'CronJob');
      return split(jobs, 'Job', (job) => !finished(job));
    }
    default:
      return split([workload], KIND_NAMES[kind], () => true);
  }
}

function valid(list: readonly unknown[]): { raw: unknown; object: KubeObject }[] {
  return list.slice(0, MAX_ITEMS).flatMap((raw) => (objectValidator.Check(raw) ? [{ raw, object: raw }] : []));
}

/** `owner` is `item`'s controller: same namespace, a controller reference to it (by uid when both have one), selected. */
function controls(owner: KubeObject, ownerKind: string, item: KubeObject): boolean {
  const { metadata } = owner;
  if (metadata.namespace && item.metadata.namespace && metadata.namespace !== item.metadata.namespace) return false;
  const ref = (item.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref || ref.kind !== ownerKind || ref.name !== metadata.name) return false;
  if (metadata.uid && ref.uid && ref.uid !== metadata.uid) return false;
  const selector = owner.spec?.selector;
  return !selector || matchesSelector(selector as LabelSelector, item.metadata.labels ?? {});
}

/** The ReplicaSet at the Deployment's revision; else the highest revision; undefined when none says one. */
function newestReplicaSet(deployment: KubeObject, sets: readonly KubeObject[]): KubeObject | undefined {
  const revision = (o: KubeObject) =>
    Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? Number.NaN);
  const wanted = revision(deployment);
  const same = sets.find((s) => revision(s) === wanted);
  if (same) return same;
  const numbered = sets.filter((s) => Number.isSafeInteger(revision(s)));
  return numbered.reduce<KubeObject | undefined>(
    (best, s) => (!best || revision(s) > revision(best) ? s : best),
    undefined,
  );
}

function sameTemplateHash(set: KubeObject, pod: KubeObject): boolean {
  const hash = label(set, 'pod-template-hash');
  return hash === undefined || label(pod, 'pod-template-hash') === hash;
}

/** A Job with a `Complete` or `Failed` condition that is `True` (https://kubernetes.io/docs/concepts/workloads/controllers/job/). */
function finished(job: KubeObject): boolean {
  return (job.status?.conditions ?? []).some(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
}

function label(object: KubeObject, key: string): string | undefined {
  const labels = object.metadata.labels ?? {};
  return Object.hasOwn(labels, key) ? labels[key] : undefined;
}
