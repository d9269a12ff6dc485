/**
 * Spreads the audit's checks over its interval: each check has a fixed offset in the interval, from a hash of its
 * key, so a check keeps its slot from one cycle to the next, and a new or removed check moves no other. Slots repeat
 * every interval from time 0 (the Unix epoch), so two replicas that take over from one another agree on when each
 * check is due. Pure; times are milliseconds.
 */

/** FNV-1a, 32 bits (http://www.isthe.com/chongo/tech/comp/fnv/): fast, stable across runs and platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The check's offset in [0, intervalMs): where in every interval it runs. */
export function slotOffset(key: string, intervalMs: number): number {
  return Math.floor((fnv1a(key) / 0x1_0000_0000) * intervalMs);
}

/** The first time after `after` (exclusive) at which the check is due. */
export function nextDue(key: string, intervalMs: number, after: number): number {
  const offset = slotOffset(key, intervalMs);
  const cycles = Math.floor((after - offset) / intervalMs);
  const due = cycles * intervalMs + offset;
  return due > after ? due : due + intervalMs;
}

/**
 * The keys due in (from, to], in the order they fall due: each at most once, even when the span is longer than the
 * interval (a check that fell behind runs once, not once per missed cycle). An interval that is not a positive
 * finite number, or a span that is empty or backwards, has nothing due.
 */
export function dueBetween(keys: Iterable<string>, intervalMs: number, from: number, to: number): string[] {
  if (!(intervalMs > 0) || !Number.isFinite(intervalMs) || !(to > from)) return [];
  const due: { key: string; at: number }[] = [];
  for (const key of keys) {
    const at = nextDue(key, intervalMs, from);
    if (at <= to) due.push({ key, at });
  }
  return due.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((entry) => entry.key);
}
