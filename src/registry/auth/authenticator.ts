/**
 * Registry authentication (docs/design.md §1.3; the token flow:
 * https://github.com/distribution/distribution/blob/main/docs/content/spec/auth/token.md): learn a registry's challenge
 * once per origin with an anonymous `GET /v2/` (so the first manifest request already carries a token: P3 in
 * docs/design.md §7.1), then answer it: Basic sends the credential, Bearer fetches a token from the realm with
 * `service` and `scope=repository:<path>:pull`.
 *
 * Credentials go only to the registry and to its realm, never over plain HTTP unless the registry is configured
 * `plainHttp` (docs/design.md §7.2 R4); the realm passes the same SSRF guard as the registry (the transport's
 * connector).
 */
import { LRUCache } from 'lru-cache';
import type { RegistryConfig } from '../../config/load-config.js';
import type { RegistryCredential } from '../../credentials/credential.js';
import type { RegistryTransport } from '../transport/http-transport.js';
import { RegistryError } from '../transport/registry-error.js';
import { parseTokenResponse } from '../transport/registry-json.js';
import type { Resolution } from '../../resolution/resolution.js';
import type { SecretsInPlay } from '../transport/secrets-in-play.js';
import { rateLimited, unexpectedStatus } from '../transport/status-classification.js';
import { createTokenCache, DEFAULT_TOKEN_LIFETIME_SECONDS, type TokenKey } from './token-cache.js';
import { parseWwwAuthenticate, pickChallenge, sameChallenge, type Challenge } from './www-authenticate.js';

/** Who is asking what of which registry. */
export interface AuthTarget {
  /** `https://host[:port]` (http when the registry is `plainHttp`). */
  readonly origin: string;
  readonly registry: RegistryConfig | undefined;
  readonly repositoryPath: string;
  readonly credential: RegistryCredential | undefined;
  readonly signal: AbortSignal;
  /** Collects the Bearer tokens sent on the way, so registry text that echoes one is caught (registry-text.ts). */
  readonly secrets?: SecretsInPlay;
}

export type AuthScheme = 'none' | 'basic' | 'bearer';

export type Authorization =
  | { readonly ok: true; readonly header?: string; readonly scheme: AuthScheme; readonly tokenKey?: TokenKey }
  /** The token endpoint refused, throttled or failed: the resolution says how. */
  | { readonly ok: false; readonly resolution: Resolution };

export interface Authenticator {
  /** The challenge the registry presents to anonymous clients (null: none needed), learned once per origin. */
  challengeFor(target: AuthTarget): Promise<Challenge | null>;
  /** Replaces what we know of an origin's challenge (a manifest 401 taught us something new). */
  remember(origin: string, challenge: Challenge | null): void;
  /**
   * Drops the origin's challenge when it is still `challenge`: answering it failed (the realm refused, failed or
   * is gone), and a registry that was fixed meanwhile advertises another one, which the next check must learn.
   */
  forget(origin: string, challenge: Challenge | null): void;
  /** The Authorization header answering `challenge` for the target's credential. */
  authorize(target: AuthTarget, challenge: Challenge | null): Promise<Authorization>;
  /** Forgets a token the registry rejected as `invalid_token`. */
  invalidate(key: TokenKey): void;
}

type TokenResult =
  | { readonly ok: true; readonly token: string; readonly lifetime: number }
  | { readonly ok: false; readonly resolution: Resolution };

/** Header values must be visible ASCII; anything else from a token server is not a token. */
const HEADER_SAFE = /^[\x21-\x7e]{1,8192}$/;
const CHALLENGE_TTL_MS = 10 * 60_000;

export function createAuthenticator(deps: { transport: RegistryTransport }): Authenticator {
  const { transport } = deps;
  const challenges = new LRUCache<string, { challenge: Challenge | null }>({ max: 1000, ttl: CHALLENGE_TTL_MS });
  const discovering = new Map<string, Promise<Challenge | null>>();
  const tokens = createTokenCache<TokenResult>();

  const discover = async (target: AuthTarget): Promise<Challenge | null> => {
    const response = await transport.request({
      url: new URL('/v2/', target.origin),
      method: 'GET',
      signal: target.signal,
      registry: target.registry,
    });
    const challenge =
      response.status === 401
        ? (pickChallenge(parseWwwAuthenticate(response.headers['www-authenticate'])) ?? null)
        : null;
    // Only a clear answer is worth remembering; a failing /v2/ may need auth once it recovers.
    if (response.status === 401 || (response.status >= 200 && response.status < 300)) {
      challenges.set(target.origin, { challenge });
    }
    return challenge;
  };

  const fetchToken = async (target: AuthTarget, realm: URL, key: TokenKey): Promise<TokenResult> => {
    const url = new URL(realm);
    if (key.service !== '') url.searchParams.append('service', key.service);
    url.searchParams.append('scope', key.scope);
    const response = await transport.request({
      url,
      method: 'GET',
      signal: target.signal,
      registry: target.registry,
      readBody: true,
      ...(target.credential ? { headers: { authorization: basicHeader(target.credential) } } : {}),
    });
    if (response.status === 401 || response.status === 403) {
      return { ok: false, resolution: refused(target.credential, 'token') };
    }
    if (response.status === 429) return { ok: false, resolution: rateLimited(response.headers) };
    if (response.status < 200 || response.status > 299) {
      return { ok: false, resolution: unexpectedStatus(response.status, 'token endpoint') };
    }
    const body = parseTokenResponse(response.body);
    const token = body?.token || body?.access_token;
    if (token === undefined || !HEADER_SAFE.test(token)) {
      throw new RegistryError('protocol', { host: realm.host, detail: 'token endpoint sent no usable token' });
    }
    return { ok: true, token, lifetime: body?.expires_in ?? DEFAULT_TOKEN_LIFETIME_SECONDS };
  };

  return {
    challengeFor(target) {
      const known = challenges.get(target.origin);
      if (known) return Promise.resolve(known.challenge);
      let pending = discovering.get(target.origin);
      if (!pending) {
        pending = discover(target).finally(() => discovering.delete(target.origin));
        discovering.set(target.origin, pending);
      }
      return pending;
    },
    remember(origin, challenge) {
      challenges.set(origin, { challenge });
    },
    forget(origin, challenge) {
      const cached = challenges.peek(origin);
      if (cached && sameChallenge(cached.challenge, challenge)) challenges.delete(origin);
    },
    async authorize(target, challenge) {
      if (challenge === null || (challenge.scheme === 'basic' && !target.credential))
        return { ok: true, scheme: challenge ? 'basic' : 'none' };
      if (challenge.scheme === 'basic') {
        return { ok: true, scheme: 'basic', header: basicHeader(target.credential as RegistryCredential) };
      }
      const realm = realmUrl(challenge, target);
      const key: TokenKey = {
        realm: realm.href,
        service: challenge.params.service ?? '',
        scope: `repository:${target.repositoryPath}:pull`,
        credential: target.credential,
      };
      const result = await tokens.getOrFetch(
        key,
        () => fetchToken(target, realm, key),
        (r) => (r.ok ? r.lifetime : undefined),
      );
      if (!result.ok) return result;
      target.secrets?.add(result.token);
      return { ok: true, scheme: 'bearer', header: `Bearer ${result.token}`, tokenKey: key };
    },
    invalidate(key) {
      tokens.invalidate(key);
    },
  };
}

/** What a refusal means depends on who asked: a credential was rejected, or anonymous access is refused. */
function refused(credential: RegistryCredential | undefined, by: 'token' | 'registry'): Resolution {
  if (!credential) return { outcome: 'unauthorized', reason: 'anonymous-refused' };
  return {
    outcome: 'unauthorized',
    reason: by === 'token' ? 'credentials-rejected' : 'no-access',
    credentialSource: credential.source,
  };
}

function realmUrl(challenge: Challenge, target: AuthTarget): URL {
  const host = new URL(target.origin).host;
  let realm: URL;
  try {
    realm = new URL(challenge.params.realm ?? '');
  } catch (error) {
    throw new RegistryError('protocol', { host, detail: 'registry advertised an invalid token realm', cause: error });
  }
  if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && target.registry?.plainHttp)) {
    throw new RegistryError('insecure', { host, detail: 'token realm is not HTTPS; refusing to use it' });
  }
  if (realm.username !== '' || realm.password !== '') {
    throw new RegistryError('insecure', { host, detail: 'token realm URL carries credentials; refusing to use it' });
  }
  return realm;
}

function basicHeader(credential: RegistryCredential): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`, 'utf8').toString('base64')}`;
}
