/**
 * The result cache, as a wrapper around a resolver (SPEC §1.5, STYLE principle 7). The key is the canonical
 * reference plus a fingerprint of the ordered credential list, so one namespace's secret never answers for another's.
 * Definitive answers are kept (found: `cache.ttl`; not-found, unauthorized, invalid: `cache.negativeTtl`); transient
 * ones (timeout, unreachable, rate-limited, blocked) never are.
 *
 * Concurrent misses share one in-flight resolution (lru-cache `fetch()`). Each waiter races its own deadline; the
 * shared work runs under its own signal, aborted only when every waiter has given up (or after `network.budget`),
 * so one impatient caller never fails the others.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config/load-config.js';
import type { RegistryCredential } from '../credentials/credential.js';
import { canonicalReference } from '../image/reference.js';
import type { Metrics } from '../observability/metrics.js';
import type { ImageResolver, ResolveOptions } from './image-resolver.js';
import { boundedMemo } from '../runtime/bounded-memo.js';
import { linkedDeadline } from '../runtime/linked-deadline.js';
import { createRegistryLookup, registryLabel } from './registry-settings.js';
import type { Resolution } from './resolution.js';

interface Flight {
  readonly key: string;
  readonly controller: AbortController;
  waiters: number;
  result?: Resolution;
  done?: Promise<Resolution>;
}

interface FetchContext {
  readonly flight: Flight;
  readonly run: () => Promise<Resolution>;
}

export interface ResultCacheDeps {
  readonly config: Config;
  readonly metrics?: Metrics;
  readonly now?: () => number;
}

/** How long a result may be reused, or undefined when it must never be cached. */
export function resultTtlMs(result: Resolution, cache: Config['cache']): number | undefined {
  switch (result.outcome) {
    case 'found':
      return cache.ttlMs;
    case 'not-found':
    case 'unauthorized':
    case 'invalid':
      return cache.negativeTtlMs;
    default:
      return undefined;
  }
}

export function withResultCache(inner: ImageResolver, deps: ResultCacheDeps): ImageResolver {
  const { config, metrics } = deps;
  const now = deps.now ?? Date.now;
  const flights = new Map<string, Flight>();
  const cache = new LRUCache<string, Resolution, FetchContext>({
    max: config.cache.maxEntries,
    ttl: config.cache.ttlMs,
    ...(deps.now ? { perf: { now: deps.now }, ttlResolution: 0 } : {}),
    fetchMethod: async (_key, _stale, { options, context }) => {
      const result = await context.run();
      context.flight.result = result;
      const ttl = resultTtlMs(result, config.cache);
      if (ttl === undefined) return undefined; // delivered to the waiters through the flight, not cached
      options.ttl = ttl;
      return result;
    },
  });

  // Bound label children, so the warm path neither hashes a label object nor builds a key per counter increment.
  const hitCounter = metrics?.cacheRequests.labels({ result: 'hit' });
  const checkCountersOf = metrics ? imageCheckCounters(config, metrics) : undefined;
  const record = (result: Resolution, options: Pick<ResolveOptions, 'reference'>) => {
    checkCountersOf?.(options.reference.domain)(result.outcome).inc();
    return result;
  };

  const start = (key: string, options: ResolveOptions): Flight => {
    const controller = new AbortController();
    const deadline = linkedDeadline(controller.signal, config.network.budgetMs, 'shared resolution ran out of time');
    const flight: Flight = { key, controller, waiters: 0 };
    const run = () => inner.resolve({ ...options, signal: deadline.signal });
    flight.done = cache
      .fetch(key, { context: { flight, run } })
      .then(
        (value) => value ?? flight.result ?? abandoned(),
        () => flight.result ?? abandoned(),
      )
      .finally(() => {
        deadline.release();
        if (flights.get(key) === flight) flights.delete(key);
      });
    flights.set(key, flight);
    return flight;
  };

  const leave = (flight: Flight) => {
    flight.waiters--;
    if (flight.waiters > 0) return;
    // Nobody waits any more: stop the work, and let the next caller start afresh rather than join a dead flight.
    flight.controller.abort();
    if (flights.get(flight.key) === flight) flights.delete(flight.key);
    cache.delete(flight.key);
  };

  const wait = (flight: Flight, options: ResolveOptions): Promise<Resolution> => {
    const started = now();
    flight.waiters++;
    const { signal } = options;
    const timedOut = (): Resolution => ({ outcome: 'timeout', afterMs: now() - started });
    if (signal.aborted) {
      leave(flight);
      return Promise.resolve(timedOut());
    }
    return new Promise<Resolution>((resolve) => {
      const onAbort = () => {
        leave(flight);
        resolve(timedOut());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      (flight.done as Promise<Resolution>).then((result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      });
    });
  };

  return {
    peek(options) {
      const hit = cache.get(cacheKey(options));
      if (hit === undefined) return undefined;
      hitCounter?.inc();
      return record(hit, options);
    },
    async resolve(options) {
      const key = cacheKey(options);
      const hit = cache.get(key);
      if (hit !== undefined) {
        hitCounter?.inc();
        return record(hit, options);
      }
      let flight = flights.get(key);
      metrics?.cacheRequests.inc({ result: flight ? 'coalesced' : 'miss' });
      flight ??= start(key, options);
      return record(await wait(flight, options), options);
    },
    async close() {
      for (const flight of flights.values()) flight.controller.abort();
      cache.clear();
      await inner.close();
    },
  };
}

/** Canonical reference, index wish and credential fingerprint. */
export function cacheKey(options: Omit<ResolveOptions, 'signal'>): string {
  return `${canonicalReference(options.reference)}${options.wantIndex ? '+index' : ''}|${credentialsFingerprint(options.credentials)}`;
}

const listFingerprints = new WeakMap<readonly RegistryCredential[], string>();
const itemFingerprints = new WeakMap<RegistryCredential, string>();

/**
 * Identity of the ordered credential list: a truncated sha256 per credential (sources included, since the same
 * secret under another name must not answer for it: an unauthorized result names the source). Memoized per list and
 * per credential object, so the warm path hashes nothing when the keychain hands out the same objects.
 */
export function credentialsFingerprint(credentials: readonly RegistryCredential[]): string {
  if (credentials.length === 0) return 'anonymous';
  let fingerprint = listFingerprints.get(credentials);
  if (fingerprint === undefined) {
    fingerprint = credentials.map(credentialIdentity).join('.');
    listFingerprints.set(credentials, fingerprint);
  }
  return fingerprint;
}

function credentialIdentity(credential: RegistryCredential): string {
  let identity = itemFingerprints.get(credential);
  if (identity === undefined) {
    identity = createHash('sha256')
      .update(`${credential.username}\0${credential.password}\0${credential.source}`)
      .digest('base64url')
      .slice(0, 16);
    itemFingerprints.set(credential, identity);
  }
  return identity;
}

function abandoned(): Resolution {
  return { outcome: 'timeout', afterMs: 0 };
}

/**
 * `pullguard_image_checks_total` children per image domain and outcome, made once each (bounded): the registry label
 * comes from matching the `registries:` globs, which is too slow to repeat on every check.
 */
function imageCheckCounters(config: Config, metrics: Metrics): (domain: string) => (outcome: Resolution['outcome']) => { inc(): void } {
  const registryFor = createRegistryLookup(config);
  return boundedMemo((domain: string) => {
    const registry = registryLabel(registryFor(domain));
    const byOutcome = new Map<Resolution['outcome'], { inc(): void }>();
    return (outcome) => {
      let counter = byOutcome.get(outcome);
      if (!counter) {
        counter = metrics.imageChecks.labels({ outcome, registry });
        byOutcome.set(outcome, counter);
      }
      return counter;
    };
  }, 1000);
}
