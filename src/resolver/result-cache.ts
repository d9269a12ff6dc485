/**
 * The result cache, as a wrapper around a resolver (docs/design.md §1.9). The key is the canonical
 * reference plus a fingerprint of the ordered credential list, so one namespace's secret never answers for another's.
 * Definitive answers are kept (found: `cache.ttl`; not-found, unauthorized, invalid: `cache.negativeTtl`); transient
 * ones (timeout, unreachable, rate-limited, blocked) never are.
 *
 * Concurrent misses share one in-flight resolution (runtime/shared-flights.ts). Each waiter races its own deadline;
 * the shared work runs under its own signal, aborted only when every waiter has given up (or after
 * `network.budget`), so one impatient caller never fails the others.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config/load-config.js';
import type { RegistryCredential } from '../credentials/credential.js';
import { sourcedCredentialFingerprint } from '../credentials/credential-fingerprint.js';
import { canonicalReference } from '../image/reference.js';
import type { Metrics } from '../observability/metrics.js';
import { boundedMemo } from '../runtime/bounded-memo.js';
import { linkedDeadline } from '../runtime/linked-deadline.js';
import { createSharedFlights } from '../runtime/shared-flights.js';
import { createRegistryLookup, registryLabel } from '../config/registry-settings.js';
import type { ClosableImageResolver, PeekOptions, ResolveOptions } from '../resolution/image-resolver.js';
import type { Resolution } from '../resolution/resolution.js';

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

export function withResultCache(inner: ClosableImageResolver, deps: ResultCacheDeps): ClosableImageResolver {
  const { config, metrics } = deps;
  const now = deps.now ?? Date.now;
  const flights = createSharedFlights<Resolution>();
  const cache = new LRUCache<string, Resolution>({
    max: config.cache.maxEntries,
    ttl: config.cache.ttlMs,
    ...(deps.now ? { perf: { now: deps.now }, ttlResolution: 0 } : {}),
  });

  // Bound once: a warm-path increment neither hashes a label object nor builds a key (see counter-tally.ts).
  const hitCounter = metrics?.cacheRequests.labels({ result: 'hit' });
  const checkCountersOf = metrics ? imageCheckCounters(config, metrics) : undefined;
  const record = (result: Resolution, options: Pick<ResolveOptions, 'reference'>) => {
    checkCountersOf?.(options.reference.domain)(result.outcome).inc();
    return result;
  };

  /** The shared work for one key: resolve under `network.budget`, and keep a definitive answer. */
  const resolveAndKeep =
    (key: string, options: ResolveOptions) =>
    async (signal: AbortSignal): Promise<Resolution> => {
      const deadline = linkedDeadline(signal, config.network.budgetMs, 'shared resolution ran out of time');
      try {
        const result = await inner.resolve({ ...options, signal: deadline.signal });
        const ttl = resultTtlMs(result, config.cache);
        if (ttl !== undefined && !signal.aborted) cache.set(key, result, { ttl });
        return result;
      } finally {
        deadline.release();
      }
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
      metrics?.cacheRequests.inc({ result: flights.has(key) ? 'coalesced' : 'miss' });
      const started = now();
      const timedOut = (): Resolution => ({ outcome: 'timeout', afterMs: now() - started });
      return record(await flights.join(key, options.signal, resolveAndKeep(key, options), timedOut), options);
    },
    async close() {
      flights.abortAll();
      cache.clear();
      await inner.close();
    },
  };
}

/**
 * Keys up to this length are kept as they are; a longer one (a reference can be ~800 characters) is kept as its
 * SHA-256, so what a key costs in the cache is bounded whatever the pod author writes. Ordinary references are far
 * shorter and pay no hashing on the warm path.
 */
const MAX_PLAIN_KEY_LENGTH = 160;

/**
 * Canonical reference, index wish and credential fingerprint. Remembered per parsed reference (memoized by the
 * grammar) and credential list (memoized by the keyring), so a warm lookup reuses one string: its hash is computed
 * once and the cache compares it by identity, instead of building, hashing and comparing ~100 characters per image.
 */
export function cacheKey(options: PeekOptions): string {
  // A runtime endpoint's settings are part of what was asked (its plain-HTTP retry is another question).
  if (options.access !== undefined) return buildCacheKey(options);
  let byCredentials = keysByReference.get(options.reference);
  if (byCredentials === undefined) {
    byCredentials = { plain: new WeakMap(), index: new WeakMap() };
    keysByReference.set(options.reference, byCredentials);
  }
  const keys = options.wantIndex ? byCredentials.index : byCredentials.plain;
  let key = keys.get(options.credentials);
  if (key === undefined) {
    key = buildCacheKey(options);
    keys.set(options.credentials, key);
  }
  return key;
}

type KeysByCredentials = Record<'plain' | 'index', WeakMap<readonly RegistryCredential[], string>>;
const keysByReference = new WeakMap<PeekOptions['reference'], KeysByCredentials>();

function buildCacheKey(options: PeekOptions): string {
  const access = options.access ? `|${accessTag(options.access)}` : '';
  const key = `${canonicalReference(options.reference)}${options.wantIndex ? '+index' : ''}|${credentialsFingerprint(options.credentials)}${access}`;
  return key.length <= MAX_PLAIN_KEY_LENGTH ? key : `sha256:${createHash('sha256').update(key).digest('base64')}`;
}

function accessTag(access: NonNullable<PeekOptions['access']>): string {
  return `${access.plainHttp ? 'http' : 'https'}${access.insecureSkipVerify ? '-insecure' : ''}${access.caFile ? `-ca:${access.caFile}` : ''}`;
}

const listFingerprints = new WeakMap<readonly RegistryCredential[], string>();

/**
 * Identity of the ordered credential list: a fingerprint per credential, sources included (the same login under
 * another secret's name must not answer for it: an unauthorized result names the source). Memoized per list too.
 */
export function credentialsFingerprint(credentials: readonly RegistryCredential[]): string {
  if (credentials.length === 0) return 'anonymous';
  let fingerprint = listFingerprints.get(credentials);
  if (fingerprint === undefined) {
    fingerprint = credentials.map(sourcedCredentialFingerprint).join('.');
    listFingerprints.set(credentials, fingerprint);
  }
  return fingerprint;
}

/**
 * `pullguard_image_checks_total` children per image domain and outcome, made once each (bounded): the registry label
 * comes from matching the `registries:` globs, which is too slow to repeat on every check.
 */
function imageCheckCounters(
  config: Config,
  metrics: Metrics,
): (domain: string) => (outcome: Resolution['outcome']) => { inc(): void } {
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
