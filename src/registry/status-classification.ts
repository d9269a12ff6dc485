/**
 * Outcomes of HTTP statuses that mean the same wherever they come from (registry, token realm, tag list):
 * throttling and server or protocol failures. Details are built from the status only, never from a body.
 */
import type { RateLimited, Unreachable } from './resolution.js';
import type { ResponseHeaders } from './http-transport.js';

/** A 429 (or `TOOMANYREQUESTS`), with Docker Hub's `RateLimit-Remaining` and the standard `Retry-After` when sent. */
export function rateLimited(headers: ResponseHeaders, now: number = Date.now()): RateLimited {
  const remaining = single(headers['ratelimit-remaining']);
  const retryAfter = retryAfterSeconds(single(headers['retry-after']), now);
  return {
    outcome: 'rate-limited',
    ...(remaining !== undefined && /^[\w;=.,: -]{1,64}$/.test(remaining) ? { remaining } : {}),
    ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
  };
}

/** Any status the caller has no specific meaning for: 5xx is a server error, the rest a protocol problem. */
export function unexpectedStatus(status: number, what: string): Unreachable {
  return status >= 500 && status <= 599
    ? { outcome: 'unreachable', cause: 'server-error', detail: `${what} answered HTTP ${status}`, status }
    : { outcome: 'unreachable', cause: 'protocol', detail: `${what} answered unexpected HTTP ${status}`, status };
}

/** `Retry-After`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function retryAfterSeconds(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** One header value (the first, when repeated). */
export function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
