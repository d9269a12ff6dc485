/**
 * The `metadata` of an object from an AdmissionReview, read defensively: the object is untrusted JSON, so anything
 * but a record is "no metadata". Pure; the review (skip rules, labels for messages) and the webhook's log line read it.
 */
import { isRecord } from '../runtime/json-shape.js';

export function metadataOf(object: unknown): Record<string, unknown> | undefined {
  if (!isRecord(object)) return undefined;
  const metadata = object['metadata'];
  return isRecord(metadata) ? metadata : undefined;
}
