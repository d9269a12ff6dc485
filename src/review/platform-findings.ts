/**
 * The platform check of one found index against the platforms the pod can run on (SPEC §1.3): no variant for any
 * of them is `platformMismatch`, for only some `platformPartial`.
 */
import { describePlatformProblem } from '../platform/describe-platform-problem.js';
import { checkIndexPlatforms, type IndexPlatformCheck } from '../platform/match-platform.js';
import type { Platform } from '../platform/platform.js';
import type { Finding } from '../policy/finding.js';
import type { StaticCheck } from '../policy/static-findings.js';
import type { IndexEntry } from '../registry/resolution.js';

export function platformFindingFor(check: StaticCheck, entries: readonly IndexEntry[], candidates: readonly Platform[]): Finding | undefined {
  if (candidates.length === 0 || !check.reference) return undefined;
  const result = memoizedCheck(entries, candidates);
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

/**
 * Cached index entries and memoized candidate platforms are the same objects from one warm review to the next, so
 * the match is kept per pair (weakly: both are dropped with their caches).
 */
const matches = new WeakMap<readonly IndexEntry[], WeakMap<readonly Platform[], IndexPlatformCheck>>();

function memoizedCheck(entries: readonly IndexEntry[], candidates: readonly Platform[]): IndexPlatformCheck {
  let byCandidates = matches.get(entries);
  if (!byCandidates) matches.set(entries, (byCandidates = new WeakMap()));
  let result = byCandidates.get(candidates);
  if (!result) byCandidates.set(candidates, (result = checkIndexPlatforms({ entries, candidates })));
  return result;
}
