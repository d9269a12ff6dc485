/**
 * Writes generated certificates to disk: `ca.crt`, `tls.crt`, `tls.key` (mode 0600), and with `manifests` a
 * Secret (mode 0600, it holds the key) and a caBundle patch. Every file is written to a temporary file with its
 * final mode and renamed into place, so a key is never readable by others, not even for a moment, and a reader
 * (the TLS reloader) never sees half a file.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PullguardError } from '../errors/pullguard-error.js';
import { renderCaBundlePatch, renderTlsSecret } from './certs-manifests.js';
import { CERTS_DEFAULTS, type GeneratedCertificates } from './generate-certificates.js';

/** Inputs of `writeCertificates`. */
export interface WriteCertificatesOptions {
  readonly out: string;
  /** Namespace of the Secret; needed with `manifests`. */
  readonly namespace?: string;
  /** Also write `secret.yaml` and `webhook-cabundle-patch.yaml`. */
  readonly manifests?: boolean;
}

/** The paths written. */
export interface WrittenCertificates {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly secretFile?: string;
  readonly patchFile?: string;
}

const PRIVATE = 0o600;
const PUBLIC = 0o644;

/**
 * Writes `certs` into `options.out` (created if missing) and returns the paths. A file system failure is a
 * `PG_CERTS_WRITE_FAILED` naming the folder, with the OS error as `cause`.
 */
export async function writeCertificates(
  certs: GeneratedCertificates,
  options: WriteCertificatesOptions,
): Promise<WrittenCertificates> {
  try {
    return await writeAll(certs, options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new PullguardError(
      'PG_CERTS_WRITE_FAILED',
      `cannot write certificates to ${options.out} (${code}); make the folder writable or choose another one`,
      { cause: error },
    );
  }
}

async function writeAll(certs: GeneratedCertificates, options: WriteCertificatesOptions): Promise<WrittenCertificates> {
  const { out } = options;
  await mkdir(out, { recursive: true, mode: 0o700 });
  const caFile = join(out, 'ca.crt');
  const certFile = join(out, 'tls.crt');
  const keyFile = join(out, 'tls.key');
  // Key first: a reader that sees the new tls.crt then finds the matching key already in place.
  await writeFileAtomic(keyFile, certs.keyPem, PRIVATE);
  await writeFileAtomic(certFile, certs.certPem, PUBLIC);
  await writeFileAtomic(caFile, certs.caPem, PUBLIC);
  if (!options.manifests) return { caFile, certFile, keyFile };
  const secretFile = join(out, 'secret.yaml');
  const patchFile = join(out, 'webhook-cabundle-patch.yaml');
  await writeFileAtomic(secretFile, renderTlsSecret(certs, options.namespace ?? CERTS_DEFAULTS.namespace), PRIVATE);
  await writeFileAtomic(patchFile, renderCaBundlePatch(certs), PUBLIC);
  return { caFile, certFile, keyFile, secretFile, patchFile };
}

/** Writes `data` to `path` through a sibling temporary file created with `mode` (`wx`: never follows a planted file). */
async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data, { mode, flag: 'wx' });
    // The umask may have cleared bits of a public file's mode; a private one is never widened by it.
    await chmod(temp, mode);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
