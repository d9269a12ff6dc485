/**
 * Translates whatever a client-node call throws into a {@link ReadResult} failure, at the edge. ApiException carries
 * the response body (which for a Secret read may hold data), so only the status code survives; connection errors
 * keep only their code.
 */
import { ApiException } from '@kubernetes/client-node';
import type { ReadResult } from '../credentials/cluster-port.js';
import { isAbortError } from '../runtime/abort-error.js';

/** The classified failure of one API read; `not-found` is a result, not an error. */
export function classifyKubeError(error: unknown, signal: AbortSignal): ReadResult<never> {
  if (signal.aborted || isAbortError(error)) return { status: 'error', kind: 'timeout', detail: 'deadline reached' };
  if (error instanceof ApiException) return fromStatus(error.code);
  const code = errorCode(error);
  if (code !== undefined) return { status: 'error', kind: 'unavailable', detail: `connection failed (${code})` };
  if (error instanceof TypeError) return { status: 'error', kind: 'unavailable', detail: 'connection failed' };
  return { status: 'error', kind: 'invalid', detail: 'unreadable response' };
}

function fromStatus(code: number): ReadResult<never> {
  if (code === 404) return { status: 'not-found' };
  const detail = `HTTP ${code}`;
  if (code === 401 || code === 403) return { status: 'error', kind: 'forbidden', detail };
  if (code === 408 || code === 504) return { status: 'error', kind: 'timeout', detail };
  if (code === 429 || code >= 500) return { status: 'error', kind: 'unavailable', detail };
  return { status: 'error', kind: 'invalid', detail };
}

/** ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET, DEPTH_ZERO_SELF_SIGNED_CERT…, from the error or its cause chain. */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{2,64}$/.test(code)) return code;
    current = current.cause;
  }
  return undefined;
}
