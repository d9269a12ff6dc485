/**
 * Requests that cannot prevent a failed pull and are answered without a check (SPEC §1.6), so pullguard never
 * blocks routine operations.
 */
import { findWorkloadKind, splitApiVersion } from '../workload/pod-spec-paths.js';
import { isRecord } from '../runtime/json-shape.js';

export interface SkipInput {
  readonly kindName: string;
  readonly operation: string;
  readonly subResource?: string;
  readonly object: unknown;
}

/** Why the request needs no check, or undefined when it must be checked. */
export function skipReason(input: SkipInput): string | undefined {
  if (input.operation !== 'CREATE' && input.operation !== 'UPDATE') return `operation ${input.operation} is not checked`;
  if (input.subResource && !(input.kindName === 'Pod' && input.subResource === 'ephemeralcontainers')) {
    return `subresource ${input.subResource} is not checked`;
  }
  if (input.kindName !== 'Pod') return undefined;
  // `kubectl debug` adds ephemeral containers to a running pod, owned or not: no workload ever checked their images.
  if (input.subResource === 'ephemeralcontainers') return undefined;
  const metadata = metadataOf(input.object);
  const annotations = metadata?.['annotations'];
  if (isRecord(annotations) && typeof annotations['kubernetes.io/config.mirror'] === 'string') {
    return 'mirror pod (static pod of a node)';
  }
  const owner = controllerOwner(metadata?.['ownerReferences']);
  // `kubectl debug` adds ephemeral containers to controller-owned pods too; those images were never checked.
  const addsEphemeralContainers = input.subResource === 'ephemeralcontainers';
  if (owner && !addsEphemeralContainers && findWorkloadKind(splitApiVersion(owner.apiVersion).group, owner.kind)) {
    return `owned by ${owner.kind} ${owner.name}, which was checked when it was admitted`;
  }
  return undefined;
}

function controllerOwner(refs: unknown): { apiVersion: string; kind: string; name: string } | undefined {
  if (!Array.isArray(refs)) return undefined;
  for (const ref of refs) {
    if (isRecord(ref) && ref['controller'] === true && typeof ref['kind'] === 'string' && typeof ref['apiVersion'] === 'string') {
      return { apiVersion: ref['apiVersion'], kind: ref['kind'], name: typeof ref['name'] === 'string' ? ref['name'] : '' };
    }
  }
  return undefined;
}

export function metadataOf(object: unknown): Record<string, unknown> | undefined {
  if (!isRecord(object)) return undefined;
  const metadata = object['metadata'];
  return isRecord(metadata) ? metadata : undefined;
}
