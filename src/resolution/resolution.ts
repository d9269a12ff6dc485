/**
 * What resolving one image against its registry can end in (docs/design.md §1.3). Exactly one outcome per
 * resolution; each failure keeps its own kind all the way to the message.
 */
import type { IndexPlatforms } from '../platform/index-platforms.js';

export const OUTCOMES = [
  'found',
  'not-found',
  'unauthorized',
  'rate-limited',
  'unreachable',
  'timeout',
  'blocked',
  'invalid',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Found {
  readonly outcome: 'found';
  /** Docker-Content-Digest of the manifest, when the registry sent one. */
  readonly digest?: string;
  readonly mediaType?: string;
  /** The platforms of the index or manifest list (compact, size-capped), when the platform check fetched it. */
  readonly index?: IndexPlatforms;
}

export interface NotFound {
  readonly outcome: 'not-found';
  /** What is missing, when the registry tells (`NAME_UNKNOWN` → repository). */
  readonly missing: 'tag' | 'digest' | 'repository' | 'manifest';
  /** Closest existing tags (best effort; empty when unavailable). */
  readonly suggestions?: readonly string[];
}

export interface Unauthorized {
  readonly outcome: 'unauthorized';
  /**
   * - `credentials-rejected`: the registry or its token endpoint refused the username/password;
   * - `no-access`: authenticated, but the registry still refuses (private or nonexistent repository);
   * - `anonymous-refused`: no credential matched, and anonymous access is refused.
   */
  readonly reason: 'credentials-rejected' | 'no-access' | 'anonymous-refused';
  /** Where the refused credential came from, e.g. `secret shop/regcred`; never the credential itself. */
  readonly credentialSource?: string;
  /** Every credential source the registry refused, in the order they were tried (set when there were several). */
  readonly credentialSources?: readonly string[];
  /** Docker Hub answers 401 for missing repositories too: the two cannot be told apart anonymously. */
  readonly ambiguousMissing?: boolean;
}

/** Numbers parsed from the registry's headers: the header text itself never reaches a message. */
export interface RateLimited {
  readonly outcome: 'rate-limited';
  /** Docker Hub's `RateLimit-Remaining: <n>;w=<seconds>`: requests left… */
  readonly remaining?: number;
  /** …in a window of this many seconds. */
  readonly windowSeconds?: number;
  readonly retryAfterSeconds?: number;
}

export interface Unreachable {
  readonly outcome: 'unreachable';
  readonly cause: 'dns' | 'refused' | 'reset' | 'tls' | 'server-error' | 'protocol' | 'too-large' | 'redirects';
  /** A short description built by pullguard, safe to show users (never a response body or header value). */
  readonly detail: string;
  readonly status?: number;
}

export interface TimedOut {
  readonly outcome: 'timeout';
  readonly afterMs: number;
}

export interface Blocked {
  readonly outcome: 'blocked';
  /** The host and the address that the SSRF guard refused. */
  readonly host: string;
  readonly address: string;
}

export interface Invalid {
  readonly outcome: 'invalid';
  readonly reason: string;
}

export type Resolution = Found | NotFound | Unauthorized | RateLimited | Unreachable | TimedOut | Blocked | Invalid;
