/**
 * The workload a pod's fix goes to: its controller (`ownerReferences` with `controller: true`), followed one step up
 * where that controller is itself made by another (a Deployment's ReplicaSet, a CronJob's Job), as `kubectl rollout`
 * and the controllers themselves see it
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents/). The step up reads the
 * ReplicaSet or Job; when it cannot, a ReplicaSet named `<deployment>-<pod-template-hash>` is taken to be the
 * Deployment's, the name the Deployment controller gives it.
 */
import type { DiagnoseCluster, ReadResult } from './cluster-port.js';
import type { Owner } from './container-facts.js';

/** The controller reference of an object (untrusted JSON), when it has a complete one. */
export function controllerOf(object: unknown): Owner | undefined {
  const refs = field(field(object, 'metadata'), 'ownerReferences');
  if (!Array.isArray(refs)) return undefined;
  for (const ref of refs.slice(0, 64)) {
    if (field(ref, 'controller') !== true) continue;
    const kind = field(ref, 'kind');
    const name = field(ref, 'name');
    return typeof kind === 'string' && typeof name === 'string' && kind !== '' && name !== ''
      ? { kind, name }
      : undefined;
  }
  return undefined;
}

export interface OwnerReading {
  readonly owner?: Owner;
  /** The read that failed on the way up, as a sentence for the report's `unread`. */
  readonly unread?: string;
}

const STEP_UP = { ReplicaSet: 'replicaset', Job: 'job' } as const;
const PARENT = { ReplicaSet: 'Deployment', Job: 'CronJob' } as const;

/** The pod's owning workload; `read` is memoised by the caller, so pods of one ReplicaSet read it once. */
export async function ownerOf(
  pod: unknown,
  namespace: string,
  read: (kind: 'replicaset' | 'job', name: string) => Promise<ReadResult<unknown>>,
): Promise<OwnerReading> {
  const owner = controllerOf(pod);
  if (owner === undefined || !(owner.kind === 'ReplicaSet' || owner.kind === 'Job')) return owner ? { owner } : {};
  const result = await read(STEP_UP[owner.kind], owner.name);
  if (result.status === 'found') {
    const parent = controllerOf(result.value);
    return { owner: parent?.kind === PARENT[owner.kind] ? parent : owner };
  }
  if (result.status === 'not-found') return { owner };
  const unread = `cannot read ${owner.kind} ${namespace}/${owner.name} (${result.kind}: ${result.detail}), so the fix names the ${owner.kind}`;
  const hash = labelOf(pod, 'pod-template-hash');
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) {
    const deployment = owner.name.slice(0, -(hash.length + 1));
    return {
      owner: { kind: 'Deployment', name: deployment },
      unread: `cannot read ReplicaSet ${namespace}/${owner.name} (${result.kind}: ${result.detail}); its name says Deployment ${deployment}`,
    };
  }
  return { owner, unread };
}

/** A memoised {@link DiagnoseCluster.getWorkload} for the step up: one read per ReplicaSet or Job in a run. */
export function memoisedWorkloadRead(
  cluster: DiagnoseCluster,
  signal: AbortSignal,
): (kind: 'replicaset' | 'job', namespace: string, name: string) => Promise<ReadResult<unknown>> {
  const seen = new Map<string, Promise<ReadResult<unknown>>>();
  return (kind, namespace, name) => {
    const key = `${kind}/${namespace}/${name}`;
    let result = seen.get(key);
    if (result === undefined) {
      result = cluster.getWorkload(kind, namespace, name, signal);
      seen.set(key, result);
    }
    return result;
  };
}

function labelOf(object: unknown, key: string): string | undefined {
  const value = field(field(field(object, 'metadata'), 'labels'), key);
  return typeof value === 'string' ? value : undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
