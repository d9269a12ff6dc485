/**
 * The platform check of one found index against the platforms the pod can run on (SPEC §1.3). Filled in by the
 * platform module; returns no finding when the index serves every candidate platform.
 */
import type { Finding } from '../policy/finding.js';
import type { StaticCheck } from '../policy/static-findings.js';
import type { Platform } from '../platform/platform.js';
import type { IndexEntry } from '../registry/resolution.js';

export function platformFindingFor(_check: StaticCheck, _entries: readonly IndexEntry[], _candidates: readonly Platform[]): Finding | undefined {
  return undefined;
}
