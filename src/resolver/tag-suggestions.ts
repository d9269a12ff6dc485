/**
 * "Did you mean" for a missing tag (docs/design.md §1.3): the three existing tags closest by edit distance, then the
 * newest tag that looks like a version when it is not among them already. Pure and synchronous, so its work is bounded
 * whatever the registry listed: tags longer than the reference grammar allows are skipped, and distances are
 * computed closest-first (a cheap lower bound orders the candidates; the search stops once none left can beat the
 * third), each no further than the third's distance (edit-distance.ts), under a total budget of
 * {@link MAX_DISTANCE_STEPS}.
 */
import { boundedDistance, OUT_OF_BUDGET, OVER_BOUND, type Work } from './edit-distance.js';

/** distribution/reference: a tag is `[\w][\w.-]{0,127}`. */
export const MAX_TAG_LENGTH = 128;
/** Tags ranked per call, as many as a listing keeps (tag-list.ts); the rest of a longer list is ignored. */
export const MAX_CANDIDATE_TAGS = 10_000;
/**
 * Edit-distance steps one call may take (a few milliseconds). A node-sized list (10,000 tags) against a typo of
 * any length takes well under it; past it, the closest found so far are returned.
 */
const MAX_DISTANCE_STEPS = 2_000_000;

const VERSION_LIKE = /^v?(\d{1,9}(?:\.\d{1,9}){0,3})(?:[-+_.]?([0-9A-Za-z.+_-]*))?$/;

interface Version {
  readonly parts: number[];
  readonly suffix: string;
}

interface Ranked {
  readonly tag: string;
  readonly distance: number;
  /** Parsed once: ties compare it. */
  readonly version: Version | undefined;
}

/**
 * Up to four suggestions: closest first (ties: newer version first, then alphabetical, so the registry's listing
 * order never matters), then the newest version-like tag.
 */
export function suggestTags(wanted: string, tags: readonly string[], count = 3): string[] {
  const candidates = [...new Set(tags.slice(0, MAX_CANDIDATE_TAGS))].filter(
    (tag) => tag !== wanted && tag.length <= MAX_TAG_LENGTH,
  );
  const suggestions = wanted.length <= MAX_TAG_LENGTH ? closestTags(wanted, candidates, count).map((c) => c.tag) : [];
  const newest = newestVersion(candidates);
  if (newest !== undefined && !suggestions.includes(newest)) suggestions.push(newest);
  return suggestions;
}

/** The `count` tags closest to `wanted`, best first, found closest-first within the step budget. */
function closestTags(wanted: string, tags: readonly string[], count: number): Ranked[] {
  const byBound = bucketsByLowerBound(wanted, tags);
  const closest: Ranked[] = [];
  const work: Work = { steps: 0, budget: MAX_DISTANCE_STEPS };
  for (let bound = 0; bound < byBound.length; bound++) {
    const bucket = byBound[bound];
    if (bucket === undefined) continue;
    // Every tag left is at least `bound` away: once the third is closer, nothing left can join (ties can).
    if (closest.length === count && bound > (closest[count - 1] as Ranked).distance) break;
    for (const tag of bucket) {
      const limit = closest.length < count ? Infinity : (closest[count - 1] as Ranked).distance;
      const distance = boundedDistance(wanted, tag, limit, work);
      if (distance === OUT_OF_BUDGET) return closest;
      if (distance === OVER_BOUND) continue;
      closest.push({ tag, distance, version: versionOf(tag) });
      closest.sort((a, b) => a.distance - b.distance || tieBreak(a, b));
      if (closest.length > count) closest.pop();
    }
  }
  return closest;
}

/**
 * Tags grouped by a lower bound of their edit distance to `wanted`: the larger of the length difference and the
 * bag distance (characters one has that the other lacks, counted with multiplicity). Characters are folded into
 * 128 buckets, which can only lower the bound. Linear in the total length of the tags.
 */
function bucketsByLowerBound(wanted: string, tags: readonly string[]): string[][] {
  const wantedCounts = new Int32Array(128);
  for (let i = 0; i < wanted.length; i++) {
    const c = wanted.charCodeAt(i) & 127;
    wantedCounts[c] = (wantedCounts[c] as number) + 1;
  }
  const counts = new Int32Array(128);
  const buckets: string[][] = [];
  for (const tag of tags) {
    counts.set(wantedCounts);
    let extra = 0;
    for (let i = 0; i < tag.length; i++) {
      const c = tag.charCodeAt(i) & 127;
      const left = counts[c] as number;
      if (left > 0) counts[c] = left - 1;
      else extra++;
    }
    const missing = wanted.length - (tag.length - extra);
    const bound = Math.max(extra, missing);
    (buckets[bound] ??= []).push(tag);
  }
  return buckets;
}

/** The highest version-like tag: numeric parts compared as numbers, a plain release above a suffixed one. */
export function newestVersion(tags: readonly string[]): string | undefined {
  let best: { tag: string; parts: number[]; suffix: string } | undefined;
  for (const tag of tags) {
    const version = versionOf(tag);
    if (!version) continue;
    const candidate = { tag, ...version };
    if (best === undefined || compareVersions(candidate, best) > 0) best = candidate;
  }
  return best?.tag;
}

/** Versions first, the newer first, then alphabetical. */
function tieBreak(a: Ranked, b: Ranked): number {
  const [x, y] = [a.version, b.version];
  if (x && y) return compareVersions(y, x) || (a.tag < b.tag ? -1 : 1);
  if (x || y) return x ? -1 : 1;
  return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0;
}

function versionOf(tag: string): Version | undefined {
  const match = VERSION_LIKE.exec(tag);
  return match ? { parts: (match[1] as string).split('.').map(Number), suffix: match[2] ?? '' } : undefined;
}

function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.parts.length, b.parts.length); i++) {
    const x = a.parts[i];
    const y = b.parts[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1; // 1.29 < 1.29.3
    if (x !== y) return x - y;
  }
  if (a.suffix === '' || b.suffix === '') return a.suffix === b.suffix ? 0 : a.suffix === '' ? 1 : -1;
  return 0;
}
