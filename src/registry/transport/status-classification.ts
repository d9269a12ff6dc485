/**
 * Outcomes of HTTP statuses that mean the same wherever they come from (registry, token realm, tag list):
 * throttling and server or protocol failures. Details are built from the status only, never from a body, and
 * header values are parsed into the numbers they mean or dropped (a registry that reflects the Authorization
 * header into them must not get the password into a warning).
 */
import type { RateLimited, Unreachable } from '../../resolution/resolution.js';
import type { ResponseHeaders } from './http-transport.js';

/** A 429 (or `TOOMANYREQUESTS`), with Docker Hub's `RateLimit-Remaining` and the standard `Retry-After` when sent. */
export function rateLimited(headers: ResponseHeaders, now: number = Date.now()): RateLimited {
  const remaining = remainingRequests(single(headers['ratelimit-remaining']));
  const retryAfter = retryAfterSeconds(single(headers['retry-after']), now);
  return {
    outcome: 'rate-limited',
    ...remaining,
    ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
  };
}

/** Longest wait we report: a year. A later date is nonsense, not information. */
const MAX_RETRY_AFTER_SECONDS = 365 * 24 * 3600;

/**
 * `RateLimit-Remaining: 76;w=21600` (Docker Hub: 76 requests left in a 6-hour window) or a bare `76`, as numbers;
 * nothing when the value has another shape.
 */
function remainingRequests(value: string | undefined): { remaining?: number; windowSeconds?: number } {
  const match = value === undefined ? null : /^\s*(\d{1,9})\s*(?:;\s*w\s*=\s*(\d{1,9})\s*)?$/.exec(value);
  if (!match) return {};
  const window = match[2] === undefined ? undefined : Number(match[2]);
  return { remaining: Number(match[1]), ...(window !== undefined && window > 0 ? { windowSeconds: window } : {}) };
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
  if (/^\d{1,9}$/.test(trimmed)) return Math.min(Number(trimmed), MAX_RETRY_AFTER_SECONDS);
  // Only the HTTP-date shape (IMF-fixdate and its obsolete forms): Date.parse accepts far more than that.
  if (!/^[A-Za-z]{3,9},? [\w :-]{10,40}$/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, Math.ceil((date - now) / 1000)), MAX_RETRY_AFTER_SECONDS);
}

/** One header value (the first, when repeated). */
export function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
