/**
 * The one error type of the registry client, with a closed union of kinds (each with its catalogue code,
 * `PG_REGISTRY_<KIND>`). Foreign errors (undici, node:net, node:tls, DNS, AbortSignal) are translated where they
 * enter (the transport), keeping the original as `cause`. The message and `detail` are static-ish texts safe to show
 * users: never a response body, a URL query or a header value.
 */
import type { ErrorCode } from '../../errors/error-codes.js';
import { PullguardError } from '../../errors/pullguard-error.js';
import type { Resolution } from '../../resolution/resolution.js';
import { isAbortError } from '../../runtime/abort-error.js';

export const REGISTRY_ERROR_KINDS = [
  /** Name resolution failed. */
  'dns',
  /** Connection refused, host or network unreachable. */
  'refused',
  /** Connection reset or closed mid-exchange. */
  'reset',
  /** TLS handshake or certificate failure. */
  'tls',
  /** The peer spoke something that is not the HTTP we expect (bad status line, header overflow, bad JSON). */
  'protocol',
  /** A body over the read cap. */
  'too-large',
  /** Too many redirects, or a redirect without a usable Location. */
  'redirects',
  /** A single request ran over `network.requestTimeout`. */
  'timeout',
  /** The caller's deadline (the review budget) ran out. */
  'deadline',
  /** The SSRF guard refused the host (docs/design.md §7.2 R5). */
  'blocked',
  /** Credentials would have gone over plain HTTP or to a realm the policy forbids (docs/design.md §7.2 R4). */
  'insecure',
] as const;
export type RegistryErrorKind = (typeof REGISTRY_ERROR_KINDS)[number];

/** The catalogue code of each kind. */
const CODE_OF_KIND = {
  dns: 'PG_REGISTRY_DNS',
  refused: 'PG_REGISTRY_REFUSED',
  reset: 'PG_REGISTRY_RESET',
  tls: 'PG_REGISTRY_TLS',
  protocol: 'PG_REGISTRY_PROTOCOL',
  'too-large': 'PG_REGISTRY_TOO_LARGE',
  redirects: 'PG_REGISTRY_REDIRECTS',
  timeout: 'PG_REGISTRY_TIMEOUT',
  deadline: 'PG_REGISTRY_DEADLINE',
  blocked: 'PG_REGISTRY_BLOCKED',
  insecure: 'PG_REGISTRY_INSECURE',
} as const satisfies Record<RegistryErrorKind, ErrorCode>;

export interface RegistryErrorOptions {
  readonly host: string;
  readonly detail: string;
  /** Blocked only: the address the guard refused. */
  readonly address?: string;
  readonly cause?: unknown;
}

/** A failure to get an HTTP answer from a registry or its token realm. */
export class RegistryError extends PullguardError {
  override readonly name = 'RegistryError';
  declare readonly code: (typeof CODE_OF_KIND)[RegistryErrorKind];
  /** What failed, in the words of the resolution outcomes (docs/findings.md). */
  readonly kind: RegistryErrorKind;
  readonly host: string;
  readonly detail: string;
  readonly address?: string;

  constructor(kind: RegistryErrorKind, options: RegistryErrorOptions) {
    super(
      CODE_OF_KIND[kind],
      `${options.host}: ${options.detail}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.kind = kind;
    this.host = options.host;
    this.detail = options.detail;
    if (options.address !== undefined) this.address = options.address;
  }

  /** Whether a later attempt may succeed (everything but a guard or policy refusal). */
  get temporary(): boolean {
    return this.kind !== 'blocked' && this.kind !== 'insecure';
  }
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'EAI_ADDRFAMILY']);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EADDRNOTAVAIL']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const PROTOCOL_CODES = new Set([
  'UND_ERR_HEADERS_OVERFLOW',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_INFO',
  'UND_ERR_NOT_SUPPORTED',
  'ERR_INVALID_URL',
]);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|EPROTO$)|CERT|SIGNATURE|SELF_SIGNED|HOSTNAME_MISMATCH/;

export interface TranslateContext {
  /** host[:port] the request went to, for the message. */
  readonly host: string;
  /** The caller's deadline; when it fired, the failure is `deadline` whatever undici made of it. */
  readonly deadline: AbortSignal;
  /** The single request's own timer fired (`network.requestTimeout`). */
  readonly requestTimedOut?: boolean;
}

/** Translates anything thrown while talking to a registry into a RegistryError. RegistryErrors pass through. */
export function translateError(error: unknown, context: TranslateContext): RegistryError {
  if (error instanceof RegistryError) return error;
  const make = (kind: RegistryErrorKind, detail: string) =>
    new RegistryError(kind, { host: context.host, detail, cause: error });
  if (context.deadline.aborted) return make('deadline', 'deadline reached');
  if (context.requestTimedOut) return make('timeout', 'request timed out');
  const code = errorCode(error);
  if (code === undefined) {
    if (isAbortError(error)) return make('timeout', 'request aborted');
    return make('protocol', 'unexpected client error');
  }
  if (TIMEOUT_CODES.has(code)) return make('timeout', `request timed out (${code})`);
  if (DNS_CODES.has(code)) return make('dns', `DNS lookup failed (${code})`);
  if (REFUSED_CODES.has(code)) return make('refused', `connection refused (${code})`);
  if (RESET_CODES.has(code)) return make('reset', `connection reset (${code})`);
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return make('too-large', 'response body too large');
  if (PROTOCOL_CODES.has(code) || code.startsWith('HPE_')) return make('protocol', `invalid HTTP response (${code})`);
  if (TLS_CODE.test(code)) return make('tls', `TLS failure (${code})`);
  if (code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') return make('timeout', 'request aborted');
  return make('protocol', `connection failed (${safeCode(code)})`);
}

/** Maps a transport failure to the Resolution users see. `afterMs` is the time spent when it timed out. */
export function resolutionOfError(error: RegistryError, afterMs: number): Resolution {
  switch (error.kind) {
    case 'timeout':
    case 'deadline':
      return { outcome: 'timeout', afterMs };
    case 'blocked':
      return { outcome: 'blocked', host: error.host, address: error.address ?? '' };
    case 'insecure':
      return { outcome: 'unreachable', cause: 'protocol', detail: error.detail };
    case 'too-large':
    case 'redirects':
    case 'dns':
    case 'refused':
    case 'reset':
    case 'tls':
    case 'protocol':
      return { outcome: 'unreachable', cause: error.kind, detail: error.detail };
  }
}

/** The `code` of an error, looking through AggregateError (happy eyeballs) and one level of `cause`. */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string' && own !== '') return own;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const code = errorCode(inner);
      if (code !== undefined) return code;
    }
  }
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error ? errorCode(cause) : undefined;
}

/** Error codes come from Node or undici, never from the peer; still keep them to a boring alphabet. */
function safeCode(code: string): string {
  return code.replace(/[^A-Z0-9_]/gi, '').slice(0, 40) || 'unknown';
}
