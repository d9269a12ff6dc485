/**
 * Development helper for `npm start` (docs/design.md §4.1): reuse `out/tls.crt` + `out/tls.key` when they exist, match
 * and are not expired; otherwise generate a fresh set whose SANs include `localhost`, `127.0.0.1` and `::1`.
 */
import { join } from 'node:path';
import { generateCertificates } from './generate-certificates.js';
import { readTlsFiles, validateTlsPair } from './tls-pair.js';
import { writeCertificates, type WrittenCertificates } from './write-certificates.js';

/** Inputs of `ensureCertificates`. */
export interface EnsureCertificatesOptions {
  readonly out: string;
  readonly service?: string;
  readonly namespace?: string;
  /** SANs added to the defaults `localhost`, `127.0.0.1`, `::1`. */
  readonly extraSans?: readonly string[];
  readonly now?: Date;
}

/** SANs of development certificates, so `https://localhost:8443` and `https://127.0.0.1:8443` verify. */
export const DEV_SANS = ['localhost', '127.0.0.1', '::1'] as const;

/** Returns the certificate files in `out`, generating them first when they are missing or unusable. */
export async function ensureCertificates(
  options: EnsureCertificatesOptions,
): Promise<WrittenCertificates & { readonly generated: boolean }> {
  const now = options.now ?? new Date();
  const existing = {
    caFile: join(options.out, 'ca.crt'),
    certFile: join(options.out, 'tls.crt'),
    keyFile: join(options.out, 'tls.key'),
  };
  if (await usablePair(existing.certFile, existing.keyFile, now)) return { ...existing, generated: false };
  const certs = generateCertificates({
    ...(options.service ? { service: options.service } : {}),
    ...(options.namespace ? { namespace: options.namespace } : {}),
    extraSans: [...DEV_SANS, ...(options.extraSans ?? [])],
    now,
  });
  return { ...(await writeCertificates(certs, { out: options.out })), generated: true };
}

async function usablePair(certFile: string, keyFile: string, now: Date): Promise<boolean> {
  try {
    validateTlsPair(await readTlsFiles(certFile, keyFile), now);
    return true;
  } catch {
    return false; // missing, unparsable, mismatched or expired: regenerate
  }
}
