/**
 * The platform check of one found index against the platforms the pod can run on (SPEC §1.3): no variant for any
 * of them is `platformMismatch`, for only some `platformPartial`.
 */
import { describePlatformProblem } from '../platform/describe-platform-problem.js';
import type { IndexPlatforms } from '../platform/index-platforms.js';
import { checkIndexPlatforms, type IndexPlatformCheck } from '../platform/match-platform.js';
import type { Platform } from '../platform/platform.js';
import type { Finding } from './finding.js';
import type { ParsedCheck } from './static-findings.js';

export function platformFindingFor(check: Pick<ParsedCheck, 'use' | 'canonical'>, index: IndexPlatforms, candidates: readonly Platform[]): Finding | undefined {
  if (candidates.length === 0) return undefined;
  const result = memoizedCheck(index, candidates);
  const text = describePlatformProblem(result, check.canonical);
  if (!text) return undefined;
  return {
    class: result.status === 'mismatch' ? 'platformMismatch' : 'platformPartial',
    outcome: 'found',
    use: check.use,
    canonical: check.canonical,
    cause: `${text.cause}.`,
    fix: `Fix: ${text.fix}.`,
    short: text.short,
  };
}

/**
 * Matches remembered per (candidate platforms, index platforms): memoized candidate lists are the same objects from
 * one warm review to the next, and a cached index's `platforms` is the same string, whose hash V8 keeps, so a warm
 * lookup allocates nothing. Keyed by content, not by the index object, so the many images sharing a platform set
 * share one entry, and bounded in total ({@link MAX_MEMOIZED_CHECKS}): a cached result never drags a check along.
 * Indexes with a flag set (rare) are checked afresh.
 */
export const MAX_MEMOIZED_CHECKS = 512;
let matches = new WeakMap<readonly Platform[], Map<string, IndexPlatformCheck>>();
let memoized = 0;

function memoizedCheck(index: IndexPlatforms, candidates: readonly Platform[]): IndexPlatformCheck {
  if (index.unplatformed || index.incomplete) return checkIndexPlatforms({ index, candidates });
  let byIndex = matches.get(candidates);
  let result = byIndex?.get(index.platforms);
  if (result) return result;
  result = checkIndexPlatforms({ index, candidates });
  if (memoized >= MAX_MEMOIZED_CHECKS) {
    matches = new WeakMap();
    memoized = 0;
    byIndex = undefined;
  }
  if (!byIndex) matches.set(candidates, (byIndex = new Map()));
  byIndex.set(index.platforms, result);
  memoized++;
  return result;
}
