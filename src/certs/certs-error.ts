/**
 * The error type of the certificate generator: bad input to `pullguard certs` (exit code 2), with a stable code from
 * the catalogue, so the CLI prints one clear line and tests assert on the code instead of on message text.
 */
import type { ErrorCode } from '../errors/error-codes.js';
import { PullguardError } from '../errors/pullguard-error.js';

/** Every code a `CertsError` can carry. */
export const CERTS_ERROR_CODES = [
  'PG_CERTS_INVALID_NAME',
  'PG_CERTS_INVALID_SAN',
  'PG_CERTS_INVALID_DAYS',
] as const satisfies readonly ErrorCode[];
export type CertsErrorCode = (typeof CERTS_ERROR_CODES)[number];

/** A bad input to `generateCertificates` / `runCertsCommand`; `code` is stable, the message is for humans. */
export class CertsError extends PullguardError {
  declare readonly code: CertsErrorCode;

  constructor(code: CertsErrorCode, message: string) {
    super(code, message);
    this.name = 'CertsError';
  }
}
