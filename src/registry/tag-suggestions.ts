/**
 * "Did you mean" for a missing tag (SPEC §1.3): the three existing tags closest by edit distance, then the newest
 * tag that looks like a version when it is not among them already. Pure.
 */

const VERSION_LIKE = /^v?(\d{1,9}(?:\.\d{1,9}){0,3})(?:[-+_.]?([0-9A-Za-z.+_-]*))?$/;

/**
 * Up to four suggestions: closest first (ties: newer version first, then alphabetical, so the registry's listing
 * order never matters), then the newest version-like tag.
 */
export function suggestTags(wanted: string, tags: readonly string[], count = 3): string[] {
  const closest: { tag: string; distance: number }[] = [];
  for (const tag of tags) {
    if (tag === wanted) continue;
    const bound = closest.length < count ? Infinity : (closest[closest.length - 1] as { distance: number }).distance - 1;
    const distance = editDistance(wanted, tag, bound);
    if (distance === undefined) continue;
    closest.push({ tag, distance });
    closest.sort((a, b) => a.distance - b.distance || tieBreak(a.tag, b.tag));
    if (closest.length > count) closest.pop();
  }
  const suggestions = closest.map((c) => c.tag);
  const newest = newestVersion(tags.filter((t) => t !== wanted));
  if (newest !== undefined && !suggestions.includes(newest)) suggestions.push(newest);
  return suggestions;
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

function tieBreak(a: string, b: string): number {
  const x = versionOf(a);
  const y = versionOf(b);
  if (x && y) return compareVersions(y, x) || (a < b ? -1 : 1);
  if (x || y) return x ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function versionOf(tag: string): { parts: number[]; suffix: string } | undefined {
  const match = VERSION_LIKE.exec(tag);
  return match ? { parts: (match[1] as string).split('.').map(Number), suffix: match[2] ?? '' } : undefined;
}

function compareVersions(a: { parts: number[]; suffix: string }, b: { parts: number[]; suffix: string }): number {
  for (let i = 0; i < Math.max(a.parts.length, b.parts.length); i++) {
    const x = a.parts[i];
    const y = b.parts[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1; // 1.29 < 1.29.3
    if (x !== y) return x - y;
  }
  if (a.suffix === '' || b.suffix === '') return a.suffix === b.suffix ? 0 : a.suffix === '' ? 1 : -1;
  return 0;
}

/**
 * Levenshtein distance, or undefined when it exceeds `bound` (checked per row, so hopeless candidates are cheap
 * even in a list of 10,000 tags).
 */
export function editDistance(a: string, b: string, bound = Infinity): number | undefined {
  if (Math.abs(a.length - b.length) > bound) return undefined;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > bound) return undefined;
    previous = current;
  }
  const distance = previous[b.length] as number;
  return distance > bound ? undefined : distance;
}
