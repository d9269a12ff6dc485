/**
 * Bearer tokens by (realm, service, scope, credential fingerprint), each for its `expires_in` minus a safety margin
 * (https://github.com/distribution/distribution/blob/main/docs/content/spec/auth/token.md). Tokens are never shared
 * across credentials. Concurrent identical token requests share one in-flight promise (singleflight); failures are not
 * cached.
 */
import { LRUCache } from 'lru-cache';
import type { RegistryCredential } from '../../credentials/credential.js';
import { credentialFingerprint } from '../../credentials/credential-fingerprint.js';

/** The distribution token spec's default when `expires_in` is absent. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 60;

export interface TokenKey {
  readonly realm: string;
  readonly service: string;
  readonly scope: string;
  readonly credential: RegistryCredential | undefined;
}

export interface TokenCache<T> {
  /** The cached token, or the shared result of `fetch` (started now, or already in flight for the same key). */
  getOrFetch(key: TokenKey, fetch: () => Promise<T>, lifetimeSeconds: (result: T) => number | undefined): Promise<T>;
  /** Drops a token the registry called `invalid_token`. */
  invalidate(key: TokenKey): void;
}

export function createTokenCache<T extends object>(options: { max?: number; now?: () => number } = {}): TokenCache<T> {
  const tokens = new LRUCache<string, T>({
    max: options.max ?? 1000,
    ttlAutopurge: false,
    ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
  });
  const inFlight = new Map<string, Promise<T>>();

  return {
    getOrFetch(key, fetch, lifetimeSeconds) {
      const id = tokenKeyId(key);
      const cached = tokens.get(id);
      if (cached !== undefined) return Promise.resolve(cached);
      const pending = inFlight.get(id);
      if (pending) return pending;
      const started = fetch().then((result) => {
        const lifetime = lifetimeSeconds(result);
        if (lifetime !== undefined) tokens.set(id, result, { ttl: cacheTtlMs(lifetime) });
        return result;
      });
      const tracked = started.finally(() => inFlight.delete(id));
      inFlight.set(id, tracked);
      return tracked;
    },
    invalidate(key) {
      tokens.delete(tokenKeyId(key));
    },
  };
}

/** How long to keep a token: its lifetime minus 10% (at most 15 s), at least one second. */
export function cacheTtlMs(lifetimeSeconds: number): number {
  const lifetime =
    Number.isFinite(lifetimeSeconds) && lifetimeSeconds > 0 ? lifetimeSeconds : DEFAULT_TOKEN_LIFETIME_SECONDS;
  const margin = Math.min(15, lifetime * 0.1);
  return Math.max(1, lifetime - margin) * 1000;
}

function tokenKeyId(key: TokenKey): string {
  return `${key.realm}\n${key.service}\n${key.scope}\n${credentialFingerprint(key.credential)}`;
}
