/**
 * Levenshtein distance for ranking tags, with its cost bounded. Pure.
 *
 * - A common prefix and suffix cost nothing and are skipped.
 * - When the shorter remainder has at most 32 characters (nearly every real tag), Myers' bit-parallel algorithm
 *   (G. Myers, "A fast bit-vector algorithm for approximate string matching based on dynamic programming", JACM
 *   1999, in H. Hyyrö's formulation for the edit distance) computes a whole column of the table per character:
 *   |longer| steps, however long the other string is.
 * - Otherwise only the cells within `bound` of the diagonal are computed (Ukkonen's band), and a row whose every
 *   cell exceeds `bound` ends the search.
 *
 * Work is counted in `Work.steps` (a table cell or a bit-parallel column each) and stops past `Work.budget`.
 */

/** Steps spent so far across calls, and how many may be. */
export interface Work {
  steps: number;
  readonly budget: number;
}

export const OVER_BOUND = -1;
export const OUT_OF_BUDGET = -2;

/** The longest string a table row is kept for between calls (a tag: distribution/reference allows 128). */
const KEPT_ROW_LENGTH = 128;
const rows = [new Int32Array(KEPT_ROW_LENGTH + 1), new Int32Array(KEPT_ROW_LENGTH + 1)] as const;
/** Per-character bit masks of the bit-parallel pattern; reset after each use. */
const masks = new Int32Array(128);

/** The distance, or undefined when it exceeds `bound`. */
export function editDistance(a: string, b: string, bound = Infinity): number | undefined {
  const distance = boundedDistance(a, b, bound, { steps: 0, budget: Infinity });
  return distance < 0 ? undefined : distance;
}

/** The distance, OVER_BOUND past `bound`, or OUT_OF_BUDGET once `work` runs out. */
export function boundedDistance(a: string, b: string, bound: number, work: Work): number {
  if (Math.abs(a.length - b.length) > bound) return OVER_BOUND;
  let start = 0;
  while (start < a.length && start < b.length && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let aEnd = a.length;
  let bEnd = b.length;
  while (aEnd > start && bEnd > start && a.charCodeAt(aEnd - 1) === b.charCodeAt(bEnd - 1)) {
    aEnd--;
    bEnd--;
  }
  return aEnd - start <= bEnd - start
    ? ordered(a, start, aEnd, b, start, bEnd, bound, work)
    : ordered(b, start, bEnd, a, start, aEnd, bound, work);
}

/** The distance of two remainders, the first no longer than the second. */
function ordered(
  short: string,
  sFrom: number,
  sTo: number,
  long: string,
  lFrom: number,
  lTo: number,
  bound: number,
  work: Work,
): number {
  const shortLength = sTo - sFrom;
  if (shortLength === 0) return lTo - lFrom <= bound ? lTo - lFrom : OVER_BOUND;
  if (shortLength <= 32 && isAscii(short, sFrom, sTo) && isAscii(long, lFrom, lTo)) {
    work.steps += lTo - lFrom;
    if (work.steps > work.budget) return OUT_OF_BUDGET;
    const distance = bitParallel(short, sFrom, sTo, long, lFrom, lTo);
    return distance <= bound ? distance : OVER_BOUND;
  }
  return banded(long, lFrom, lTo, short, sFrom, sTo, bound, work);
}

function isAscii(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/** Hyyrö's bit-vector edit distance; the pattern (1..32 characters) runs along the bits. */
function bitParallel(pattern: string, pFrom: number, pTo: number, text: string, tFrom: number, tTo: number): number {
  const m = pTo - pFrom;
  for (let i = 0; i < m; i++) {
    const c = pattern.charCodeAt(pFrom + i);
    masks[c] = (masks[c] as number) | (1 << i);
  }
  const top = 1 << (m - 1);
  let positive = -1; // Pv: vertical deltas +1
  let negative = 0; // Mv: vertical deltas -1
  let score = m;
  for (let j = tFrom; j < tTo; j++) {
    const eq = masks[text.charCodeAt(j)] as number;
    const xv = eq | negative;
    const xh = (((eq & positive) + positive) ^ positive) | eq;
    let ph = negative | ~(xh | positive);
    let mh = positive & xh;
    if (ph & top) score++;
    else if (mh & top) score--;
    ph = (ph << 1) | 1; // the top row of the table counts up: a global, not a substring, distance
    mh <<= 1;
    positive = mh | ~(xv | ph);
    negative = ph & xv;
  }
  for (let i = 0; i < m; i++) masks[pattern.charCodeAt(pFrom + i)] = 0;
  return score;
}

/** Ukkonen's banded table over rows of `a` and columns of `b`. */
function banded(
  a: string,
  aFrom: number,
  aTo: number,
  b: string,
  bFrom: number,
  bTo: number,
  bound: number,
  work: Work,
): number {
  const n = aTo - aFrom;
  const m = bTo - bFrom;
  const k = Math.min(bound, Math.max(n, m));
  const far = k + 1; // stands for "more than k" outside the band
  let previous = m <= KEPT_ROW_LENGTH ? rows[0] : new Int32Array(m + 1);
  let current = m <= KEPT_ROW_LENGTH ? rows[1] : new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) previous[j] = j <= k ? j : far;
  for (let i = 1; i <= n; i++) {
    const low = Math.max(1, i - k);
    const high = Math.min(m, i + k);
    work.steps += high - low + 1;
    if (work.steps > work.budget) return OUT_OF_BUDGET;
    let left = low === 1 ? i : far;
    current[low - 1] = left;
    let rowMin = left;
    const ai = a.charCodeAt(aFrom + i - 1);
    for (let j = low; j <= high; j++) {
      let value = (previous[j - 1] as number) + (ai === b.charCodeAt(bFrom + j - 1) ? 0 : 1);
      const up = (previous[j] as number) + 1;
      if (up < value) value = up;
      if (left + 1 < value) value = left + 1;
      if (value > far) value = far;
      current[j] = value;
      left = value;
      if (value < rowMin) rowMin = value;
    }
    if (high < m) current[high + 1] = far;
    if (rowMin > k) return OVER_BOUND;
    const done = previous;
    previous = current;
    current = done;
  }
  const distance = previous[m] as number;
  return distance > k ? OVER_BOUND : distance;
}
