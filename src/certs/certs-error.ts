/**
 * The one error type of the certificate generator, with a closed set of stable codes, so the CLI can print a clear
 * message and tests can assert on the cause instead of on message text.
 */
/** Every code a `CertsError` can carry. */
export const CERTS_ERROR_CODES = ['CERTS_INVALID_NAME', 'CERTS_INVALID_SAN', 'CERTS_INVALID_DAYS'] as const;
export type CertsErrorCode = (typeof CERTS_ERROR_CODES)[number];

/** A bad input to `generateCertificates` / `runCertsCommand`; `code` is stable, the message is for humans. */
export class CertsError extends Error {
  readonly code: CertsErrorCode;

  constructor(code: CertsErrorCode, message: string) {
    super(message);
    this.name = 'CertsError';
    this.code = code;
  }
}
