/**
 * A listed or watched workload object cut down to what the audit reads, so tens of thousands of them fit in memory:
 * `metadata` without `managedFields` and the `kubectl.kubernetes.io/last-applied-configuration` annotation (each
 * often as large as the object itself), `spec` as is, and of `status` only `phase` (src/audit/audited-object.ts
 * reads `status.phase`, `metadata.ownerReferences` and `metadata.deletionTimestamp`). Pure; never throws.
 */
import { isRecord } from '../runtime/json-shape.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The lean copy; a value that is not an object comes back unchanged. The input is never modified. */
export function leanObject(object: unknown): unknown {
  if (!isRecord(object)) return object;
  const { metadata, status, ...rest } = object;
  const out: Record<string, unknown> = { ...rest };
  if (isRecord(metadata)) out['metadata'] = leanMetadata(metadata);
  else if (metadata !== undefined) out['metadata'] = metadata;
  const phase = isRecord(status) ? status['phase'] : undefined;
  if (phase !== undefined) out['status'] = { phase };
  return out;
}

function leanMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const { managedFields: _managedFields, annotations, ...rest } = metadata;
  if (!isRecord(annotations)) return annotations === undefined ? rest : { ...rest, annotations };
  const { [LAST_APPLIED]: _lastApplied, ...kept } = annotations;
  return Object.keys(kept).length === 0 ? rest : { ...rest, annotations: kept };
}
