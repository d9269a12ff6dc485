/** Reads counters out of pullguard's Prometheus text. */

/** Sum of every sample of `metric` whose labels include all of `labels`. */
export function counterValue(text: string, metric: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    const matchesAll = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (!matchesAll) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

/** `pullguard_cache_requests_total` by result. */
export function cacheCounts(text: string): { hit: number; miss: number; coalesced: number } {
  const metric = 'pullguard_cache_requests_total';
  return {
    hit: counterValue(text, metric, { result: 'hit' }),
    miss: counterValue(text, metric, { result: 'miss' }),
    coalesced: counterValue(text, metric, { result: 'coalesced' }),
  };
}

/** V8 heap used and total and external memory, from the default process metrics. */
export function heapOf(text: string): { used: number; total: number; external: number } {
  return {
    used: counterValue(text, 'nodejs_heap_size_used_bytes'),
    total: counterValue(text, 'nodejs_heap_size_total_bytes'),
    external: counterValue(text, 'nodejs_external_memory_bytes'),
  };
}
