/**
 * One registry request with authentication: send it with what the known challenge calls for; on a 401 retry once,
 * and only when the 401 teaches something new (a different challenge than the one we answered, or `invalid_token`
 * for a cached token). When answering a challenge fails, the origin's challenge is forgotten so the next check
 * learns it afresh. Everything else is the caller's to classify.
 */
import type { AuthScheme, AuthTarget, Authenticator, Authorization } from './authenticator.js';
import type { RegistryTransport, TransportRequest, TransportResponse } from '../transport/http-transport.js';
import type { Resolution } from '../../resolution/resolution.js';
import { parseWwwAuthenticate, pickChallenge, sameChallenge, type Challenge } from './www-authenticate.js';

export interface AuthorizedRequest {
  readonly path: string;
  readonly method: 'GET' | 'HEAD';
  readonly headers?: Readonly<Record<string, string>>;
  readonly readBody?: boolean;
  readonly maxBodyBytes?: number;
}

export type AuthorizedResult =
  | { readonly ok: true; readonly response: TransportResponse; readonly scheme: AuthScheme }
  | { readonly ok: false; readonly resolution: Resolution };

export interface RegistryClientDeps {
  readonly transport: RegistryTransport;
  readonly auth: Authenticator;
}

export async function sendAuthorized(
  deps: RegistryClientDeps,
  target: AuthTarget,
  request: AuthorizedRequest,
): Promise<AuthorizedResult> {
  const known = await deps.auth.challengeFor(target);
  let authorization = await answer(deps.auth, target, known);
  if (!authorization.ok) return authorization;
  const send = (header: string | undefined) => {
    const transportRequest: TransportRequest = {
      url: new URL(request.path, target.origin),
      method: request.method,
      headers: { ...request.headers, ...(header !== undefined ? { authorization: header } : {}) },
      signal: target.signal,
      registry: target.registry,
      ...(request.readBody ? { readBody: true } : {}),
      ...(request.maxBodyBytes !== undefined ? { maxBodyBytes: request.maxBodyBytes } : {}),
    };
    return deps.transport.request(transportRequest);
  };
  let response = await send(authorization.header);
  if (response.status === 401) {
    const offered = pickChallenge(parseWwwAuthenticate(response.headers['www-authenticate']));
    // A challenge is cached for the whole origin, and its realm host may reach a message later, under other
    // secrets: one that echoes the credential just sent (a reflecting registry) is never learned or answered.
    if (offered && echoesSent(offered, authorization.header))
      return { ok: true, response, scheme: authorization.scheme };
    if (offered && isNews(known, offered)) {
      deps.auth.remember(target.origin, offered);
    } else if (offered?.params.error === 'invalid_token' && authorization.tokenKey) {
      deps.auth.invalidate(authorization.tokenKey);
    } else {
      return { ok: true, response, scheme: authorization.scheme };
    }
    const previous = authorization.header;
    authorization = await answer(deps.auth, target, offered);
    if (!authorization.ok) return authorization;
    // Nothing to answer the new challenge with (anonymous and Basic): the 401 stands.
    if (authorization.header === previous) return { ok: true, response, scheme: authorization.scheme };
    response = await send(authorization.header);
  }
  return { ok: true, response, scheme: authorization.scheme };
}

/** Authorizes for `challenge`; when that fails in any way, the origin's cached challenge (if it is this one) goes. */
async function answer(auth: Authenticator, target: AuthTarget, challenge: Challenge | null): Promise<Authorization> {
  let authorization: Authorization;
  try {
    authorization = await auth.authorize(target, challenge);
  } catch (error) {
    auth.forget(target.origin, challenge);
    throw error;
  }
  if (!authorization.ok) auth.forget(target.origin, challenge);
  return authorization;
}

/** Whether the realm or service of a challenge contains the credential part of the Authorization header sent. */
function echoesSent(challenge: Challenge, sentHeader: string | undefined): boolean {
  const sent =
    sentHeader
      ?.replace(/^\S+\s+/, '')
      .replace(/=+$/, '')
      .toLowerCase() ?? '';
  if (sent.length < 8) return false; // nothing sent, or too short to tell an echo from chance
  return [challenge.params.realm, challenge.params.service].some((value) => value?.toLowerCase().includes(sent));
}

/** A challenge differs in what matters for answering it: scheme, realm or service. */
function isNews(known: Challenge | null, offered: Challenge): boolean {
  return !sameChallenge(known, offered);
}
