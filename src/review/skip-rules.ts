/**
 * Requests that cannot prevent a failed pull and are answered without a check (docs/design.md §1.8), so pullguard never
 * blocks routine operations.
 */
import { isRecord } from '../runtime/json-shape.js';
import { metadataOf } from '../workload/object-metadata.js';

/**
 * The controllers that create pods from a template pullguard checked when the controller was admitted, by exact
 * `apiVersion` and kind (Deployment and CronJob create no pods themselves: their ReplicaSets and Jobs do).
 */
const POD_CREATING_OWNERS: ReadonlySet<string> = new Set([
  'apps/v1 ReplicaSet',
  'apps/v1 StatefulSet',
  'apps/v1 DaemonSet',
  'v1 ReplicationController',
  'batch/v1 Job',
]);

export interface SkipInput {
  /**
   * A core/v1 Pod: the only kind with pod rules (mirror pods, pods of checked controllers, `kubectl debug`). A custom
   * resource that happens to be named Pod is checked like any other kind.
   */
  readonly isCorePod: boolean;
  readonly operation: string;
  readonly subResource?: string;
  readonly object: unknown;
}

/** Why the request needs no check, or undefined when it must be checked. */
export function skipReason(input: SkipInput): string | undefined {
  if (input.operation !== 'CREATE' && input.operation !== 'UPDATE')
    return `operation ${input.operation} is not checked`;
  if (input.subResource && !(input.isCorePod && input.subResource === 'ephemeralcontainers')) {
    return `subresource ${input.subResource} is not checked`;
  }
  if (!input.isCorePod) return undefined;
  // `kubectl debug` adds ephemeral containers to a running pod, owned or not: no workload ever checked their images.
  if (input.subResource === 'ephemeralcontainers') return undefined;
  const metadata = metadataOf(input.object);
  const annotations = metadata?.['annotations'];
  if (isRecord(annotations) && typeof annotations['kubernetes.io/config.mirror'] === 'string') {
    return 'mirror pod (static pod of a node)';
  }
  // Only a pod being created from its controller's template: an UPDATE (`kubectl set image pod/…`) can change an
  // image the controller never had, so it goes through the changed-uses check like any other pod.
  if (input.operation !== 'CREATE') return undefined;
  const owner = controllerOwner(metadata?.['ownerReferences']);
  if (owner && POD_CREATING_OWNERS.has(`${owner.apiVersion} ${owner.kind}`)) {
    return `owned by ${owner.kind} ${owner.name}, which was checked when it was admitted`;
  }
  return undefined;
}

/**
 * The first `controller: true` reference (the API server allows only one), when it is complete: a controller
 * always sets apiVersion, kind, name and uid; a reference without them was not written by one.
 */
function controllerOwner(refs: unknown): { apiVersion: string; kind: string; name: string } | undefined {
  if (!Array.isArray(refs)) return undefined;
  const ref: unknown = refs.find((r) => isRecord(r) && r['controller'] === true);
  if (!isRecord(ref)) return undefined;
  const { apiVersion, kind, name, uid } = ref;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !nonEmpty(name) || !nonEmpty(uid)) return undefined;
  return { apiVersion, kind, name };
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
