/**
 * Reads and validates a certificate/key pair from disk before it may be served: both parse, the key belongs to the
 * certificate, and the certificate has not expired. A pair caught halfway through a rotation fails here and is
 * simply retried later. The key never appears in an error.
 */
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ErrorCode } from '../errors/error-codes.js';
import { PullguardError } from '../errors/pullguard-error.js';

/** A validated pair as PEM text, plus the serving certificate's expiry (for `pullguard_cert_expiry_timestamp_seconds`). */
export interface TlsMaterial {
  readonly key: string;
  readonly cert: string;
  readonly notAfter: Date;
}

/** Every code a `TlsReloadError` can carry. */
export const TLS_ERROR_CODES = [
  'PG_CERT_FILE_MISSING',
  'PG_CERT_FILE_UNREADABLE',
  'PG_CERT_INVALID',
  'PG_CERT_KEY_INVALID',
  'PG_CERT_KEY_MISMATCH',
  'PG_CERT_EXPIRED',
  'PG_CERT_APPLY_FAILED',
] as const satisfies readonly ErrorCode[];
export type TlsErrorCode = (typeof TLS_ERROR_CODES)[number];

/** Why a pair was not loaded. `cause` keeps the original error (never one that quotes the key). */
export class TlsReloadError extends PullguardError {
  declare readonly code: TlsErrorCode;

  constructor(code: TlsErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'TlsReloadError';
  }
}

/** The raw bytes of both files and a fingerprint of them, to tell "changed" from "same as last time". */
export interface TlsFiles {
  readonly cert: string;
  readonly key: string;
  readonly fingerprint: string;
}

/**
 * Reads both files; throws `PG_CERT_FILE_MISSING` or `PG_CERT_FILE_UNREADABLE` naming the file (with the OS error as
 * cause) when one is missing or cannot be read.
 */
export async function readTlsFiles(certFile: string, keyFile: string): Promise<TlsFiles> {
  // Both read at once, but when both fail the certificate's problem is the one reported, whichever failed first.
  const [certRead, keyRead] = await Promise.allSettled([
    readTlsFile(certFile, 'certificate'),
    readTlsFile(keyFile, 'key'),
  ]);
  if (certRead.status === 'rejected') throw certRead.reason;
  if (keyRead.status === 'rejected') throw keyRead.reason;
  const [cert, key] = [certRead.value, keyRead.value];
  const fingerprint = createHash('sha256').update(cert).update('\0').update(key).digest('hex');
  return { cert, key, fingerprint };
}

async function readTlsFile(file: string, what: 'certificate' | 'key'): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new TlsReloadError('PG_CERT_FILE_MISSING', `TLS ${what} file ${file} does not exist`, { cause: err });
    throw new TlsReloadError('PG_CERT_FILE_UNREADABLE', `cannot read TLS ${what} file ${file} (${code ?? 'error'})`, {
      cause: err,
    });
  }
}

/** Validates a pair; throws `TlsReloadError` with the reason. */
export function validateTlsPair(files: Pick<TlsFiles, 'cert' | 'key'>, now: Date): TlsMaterial {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(files.cert);
  } catch (err) {
    throw new TlsReloadError('PG_CERT_INVALID', 'TLS certificate file does not hold a PEM certificate', { cause: err });
  }
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(files.key);
  } catch {
    // Deliberately no cause: OpenSSL errors about key material are not worth the risk of echoing it.
    throw new TlsReloadError('PG_CERT_KEY_INVALID', 'TLS key file does not hold a PEM private key');
  }
  if (!x509.checkPrivateKey(key)) {
    throw new TlsReloadError('PG_CERT_KEY_MISMATCH', 'TLS key does not belong to the certificate');
  }
  const notAfter = x509.validToDate;
  if (notAfter.getTime() <= now.getTime()) {
    throw new TlsReloadError('PG_CERT_EXPIRED', `TLS certificate expired at ${notAfter.toISOString()}`);
  }
  return { key: files.key, cert: files.cert, notAfter };
}
