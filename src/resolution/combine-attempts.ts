/**
 * With several credentials (kubelet order), the first `found` wins. When none is found, the most definitive answer
 * is reported: not-found over unauthorized over everything transient; an unauthorized result names every refused
 * credential source. Pure.
 */
import type { Resolution, Unauthorized } from './resolution.js';

const RANK: Record<Resolution['outcome'], number> = {
  found: 0,
  'not-found': 1,
  invalid: 2,
  unauthorized: 3,
  'rate-limited': 4,
  blocked: 5,
  unreachable: 6,
  timeout: 7,
};

/** Combines the results of trying each credential in turn (at least one). */
export function combineAttempts(results: readonly Resolution[]): Resolution {
  let best = results[0];
  if (best === undefined) throw new Error('combineAttempts needs at least one result');
  for (const result of results) if (RANK[result.outcome] < RANK[best.outcome]) best = result;
  if (best.outcome !== 'unauthorized') return best;
  const sources = results
    .filter((r): r is Unauthorized => r.outcome === 'unauthorized')
    .map((r) => r.credentialSource)
    .filter((s): s is string => s !== undefined);
  const unique = [...new Set(sources)];
  return unique.length > 1 ? { ...best, credentialSources: unique } : best;
}
