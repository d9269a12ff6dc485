/**
 * The platform check of one found index against the platforms the pod can run on (docs/design.md §1.5): no variant for
 * any of them is `platformMismatch`, for only some `platformPartial`.
 */
import { describePlatformProblem } from '../platform/describe-platform-problem.js';
import type { CandidatePlatforms } from '../platform/candidate-platforms.js';
import type { IndexPlatforms } from '../platform/index-platforms.js';
import { checkIndexPlatforms, type IndexPlatformCheck } from '../platform/match-platform.js';
import type { Platform } from '../platform/platform.js';
import type { Finding } from './finding.js';
import type { ParsedCheck } from './static-findings.js';

/**
 * The cause says where the candidates come from when it is not the cluster's nodes (the configured platforms) and
 * quotes their notes (see `CandidatePlatforms.notes`), so a developer knows what the verdict rests on and which of
 * the pod's constraints could not be evaluated.
 */
export function platformFindingFor(
  check: Pick<ParsedCheck, 'use' | 'canonical'>,
  index: IndexPlatforms,
  candidates: CandidatePlatforms,
): Finding | undefined {
  if (candidates.platforms.length === 0) return undefined;
  const result = memoizedCheck(index, candidates.platforms);
  const text = describePlatformProblem(result, check.canonical, candidates.osName);
  if (!text) return undefined;
  const finding: Finding = {
    class: result.status === 'mismatch' ? 'platformMismatch' : 'platformPartial',
    outcome: 'found',
    use: check.use,
    canonical: check.canonical,
    cause: `${text.cause}${explanation(candidates)}.`,
    fix: `Fix: ${text.fix}.`,
    short: text.short,
  };
  const first = candidates.platforms[0];
  // The platform the node asks for, in the runtime's words: the first candidate stands for the node the pod lands on.
  return result.status === 'mismatch' && first
    ? { ...finding, runtimeFailure: { kind: 'platformMismatch', ...first } }
    : finding;
}

/** Most notes quoted in one cause; the rest are counted. */
export const MAX_QUOTED_NOTES = 3;

/**
 * ` (checked against the configured platforms; nodeSelector on label pool not evaluated: no Node objects to read)`,
 * or '' for candidates from the nodes without notes.
 */
function explanation(candidates: CandidatePlatforms): string {
  const { notes } = candidates;
  const parts = candidates.source === 'config' ? ['checked against the configured platforms'] : [];
  parts.push(...notes.slice(0, MAX_QUOTED_NOTES));
  if (notes.length > MAX_QUOTED_NOTES) parts.push(`${notes.length - MAX_QUOTED_NOTES} more`);
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
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
