/**
 * A caching wrapper around any {@link ClusterReader} (docs/design.md §1.4: short TTL, coalesced concurrent reads):
 *
 * - keys are explicit (`namespace/name` per kind), so namespace A's secret never answers for namespace B;
 * - found and not-found (404) results are kept for `ttlMs` (30 s); errors are never cached;
 * - concurrent misses share one in-flight read. Each caller still waits only until its own signal aborts; the shared
 *   read is aborted when every caller waiting on it has given up.
 */
import { LRUCache } from 'lru-cache';
import type { ClusterReader, ReadResult } from '../credentials/cluster-port.js';
import { createSharedFlights } from '../runtime/shared-flights.js';

export interface CachedClusterReaderOptions {
  /** How long found and not-found results are reused (default 30 s). */
  readonly ttlMs?: number;
  /** Bound on cached results per kind (default 10,000). */
  readonly maxEntries?: number;
  /** Clock in ms, for tests (default `performance.now`). */
  readonly now?: () => number;
}

const TIMED_OUT: ReadResult<never> = Object.freeze({ status: 'error', kind: 'timeout', detail: 'deadline reached' });

/** A {@link ClusterReader} whose cached answers can also be looked at without I/O. */
export interface CachedClusterReader extends ClusterReader {
  /** The cached namespace labels (found or not-found) while fresh; undefined when a read is needed. */
  peekNamespaceLabels(name: string): Awaited<ReturnType<ClusterReader['getNamespaceLabels']>> | undefined;
}

/** Wraps `inner` with the cache; the result is itself a {@link ClusterReader}. */
export function createCachedClusterReader(
  inner: ClusterReader,
  options: CachedClusterReaderOptions = {},
): CachedClusterReader {
  const settings = {
    ttlMs: options.ttlMs ?? 30_000,
    max: options.maxEntries ?? 10_000,
    now: options.now ?? (() => performance.now()),
  };
  const secrets = new ReadCache<Awaited<ReturnType<ClusterReader['getSecret']>>>(settings);
  const accounts = new ReadCache<Awaited<ReturnType<ClusterReader['getServiceAccount']>>>(settings);
  const namespaces = new ReadCache<Awaited<ReturnType<ClusterReader['getNamespaceLabels']>>>(settings);
  return {
    getSecret: (namespace, name, signal) =>
      secrets.read(`${namespace}/${name}`, signal, (s) => inner.getSecret(namespace, name, s)),
    getServiceAccount: (namespace, name, signal) =>
      accounts.read(`${namespace}/${name}`, signal, (s) => inner.getServiceAccount(namespace, name, s)),
    getNamespaceLabels: (name, signal) => namespaces.read(name, signal, (s) => inner.getNamespaceLabels(name, s)),
    peekNamespaceLabels: (name) => namespaces.peek(name),
  };
}

class ReadCache<R extends ReadResult<unknown>> {
  private readonly settled: LRUCache<string, { readonly result: R; readonly expiresAt: number }>;
  private readonly flights = createSharedFlights<R>();

  constructor(private readonly settings: { ttlMs: number; max: number; now: () => number }) {
    this.settled = new LRUCache({ max: settings.max });
  }

  peek(key: string): R | undefined {
    const hit = this.settled.get(key);
    return hit !== undefined && hit.expiresAt > this.settings.now() ? hit.result : undefined;
  }

  read(key: string, signal: AbortSignal, load: (signal: AbortSignal) => Promise<R>): Promise<R> {
    const hit = this.peek(key);
    if (hit !== undefined) return Promise.resolve(hit);
    return this.flights.join(
      key,
      signal,
      (shared) => this.loadAndKeep(key, shared, load),
      () => TIMED_OUT as R,
    );
  }

  private async loadAndKeep(key: string, signal: AbortSignal, load: (signal: AbortSignal) => Promise<R>): Promise<R> {
    const result = await load(signal).catch(
      (): R => ({ status: 'error', kind: 'unavailable', detail: 'read failed' }) as R,
    );
    if (result.status !== 'error' && !signal.aborted) {
      this.settled.set(key, { result, expiresAt: this.settings.now() + this.settings.ttlMs });
    }
    return result;
  }
}
