/**
 * Memoizes a pure function of a string in a Map of at most `limit` entries (the oldest goes first). For the warm
 * path: the same image strings and repositories come back in review after review, and a remembered answer is also
 * the same object, which the identity-keyed memos further down (credential fingerprints) can then reuse.
 * Keys longer than `maxKeyLength` are computed every time, so untrusted input cannot pin large strings in memory.
 */
export function boundedMemo<V>(compute: (key: string) => V, limit: number, maxKeyLength = 512): (key: string) => V {
  const memo = new Map<string, V>();
  return (key) => {
    const known = memo.get(key);
    if (known !== undefined) return known;
    const value = compute(key);
    if (key.length > maxKeyLength) return value;
    if (memo.size >= limit) memo.delete(memo.keys().next().value as string);
    memo.set(key, value);
    return value;
  };
}
