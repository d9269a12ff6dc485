/**
 * The base of every error pullguard raises on purpose: a stable `code` from the catalogue ({@link ERROR_CODES}), the
 * exit code the CLI leaves with, and the original error as `cause` when a foreign one (fs, undici, client-node) was
 * translated where it entered. The message is one line a user can act on: what failed, which file or flag, the fix.
 */
import { ERROR_CODES, type ErrorCode } from './error-codes.js';

export class PullguardError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PullguardError';
    this.code = code;
  }

  /** The process exit code for this error, from the catalogue. */
  get exitCode(): 1 | 2 {
    return ERROR_CODES[this.code].exitCode;
  }
}
