/**
 * The platform check of one found index against the platforms the pod can run on (SPEC §1.3): no variant for any
 * of them is `platformMismatch`, for only some `platformPartial`.
 */
import { describePlatformProblem } from '../platform/describe-platform-problem.js';
import { checkIndexPlatforms } from '../platform/match-platform.js';
import type { Platform } from '../platform/platform.js';
import type { Finding } from '../policy/finding.js';
import type { StaticCheck } from '../policy/static-findings.js';
import type { IndexEntry } from '../registry/resolution.js';

export function platformFindingFor(check: StaticCheck, entries: readonly IndexEntry[], candidates: readonly Platform[]): Finding | undefined {
  if (candidates.length === 0 || !check.reference) return undefined;
  const result = checkIndexPlatforms({ entries, candidates });
  const text = describePlatformProblem(result, check.reference);
  if (!text) return undefined;
  return {
    class: result.status === 'mismatch' ? 'platformMismatch' : 'platformPartial',
    outcome: 'found',
    use: check.use,
    reference: check.reference,
    cause: `${text.cause}.`,
    fix: `Fix: ${text.fix}.`,
    short: text.short,
  };
}
