/**
 * Whether the result cache fits the heap it runs in. A cached result takes up to ~1 KB of heap (0.75–0.8 KB measured
 * for ordinary images, 1.05 KB for hostile indexes at the caps: docs/benchmarks.md, P5 and "Memory per cached
 * result"), and the rest of the process needs room for the reviews in flight, so a cache that could
 * take more than half the heap limit is worth a warning at start-up rather than an out-of-memory crash under load.
 */
const HEAP_BYTES_PER_CACHED_RESULT = 1024;

export interface CacheMemoryWarning {
  readonly maxEntries: number;
  readonly cacheHeapMb: number;
  readonly heapLimitMb: number;
  readonly fix: string;
}

export function cacheMemoryWarning(maxEntries: number, heapLimitBytes: number): CacheMemoryWarning | undefined {
  const cacheBytes = maxEntries * HEAP_BYTES_PER_CACHED_RESULT;
  if (cacheBytes <= heapLimitBytes / 2) return undefined;
  return {
    maxEntries,
    cacheHeapMb: Math.ceil(cacheBytes / 2 ** 20),
    heapLimitMb: Math.floor(heapLimitBytes / 2 ** 20),
    fix: 'raise node --max-old-space-size (and the memory limit) or lower cache.maxEntries; see docs/install.md, Memory',
  };
}
