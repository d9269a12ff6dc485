/**
 * The core of `pullguard certs` (docs/design.md §4.3): generate, write, and tell the user what was written and the
 * caBundle. The CLI only parses flags and calls `runCertsCommand`. The base64 caBundle is always the last line of
 * output, so scripts can take it with `tail -n1`.
 */
import { TLS_SECRET_NAME } from './certs-manifests.js';
import { CERTS_DEFAULTS, generateCertificates } from './generate-certificates.js';
import { writeCertificates, type WrittenCertificates } from './write-certificates.js';

/** Flags of `pullguard certs`; all have defaults. */
export interface CertsCommandArgs {
  readonly service?: string;
  readonly namespace?: string;
  readonly out?: string;
  readonly days?: number;
  readonly sans?: readonly string[];
  readonly manifests?: boolean;
  /** The clock, for tests. */
  readonly now?: Date;
}

/** Where output goes; one call per line. */
export interface CertsCommandIo {
  stdout(line: string): void;
}

/** The result, for callers that need more than the printed text. */
export interface CertsCommandResult {
  readonly caBundle: string;
  readonly files: WrittenCertificates;
  readonly sans: readonly string[];
  readonly notAfter: Date;
}

/** Generates and writes the certificates; throws `CertsError` on bad flags (the CLI maps it to exit code 2). */
export async function runCertsCommand(args: CertsCommandArgs, io: CertsCommandIo): Promise<CertsCommandResult> {
  const service = args.service ?? CERTS_DEFAULTS.service;
  const namespace = args.namespace ?? CERTS_DEFAULTS.namespace;
  const out = args.out ?? CERTS_DEFAULTS.out;
  const certs = generateCertificates({
    service,
    namespace,
    days: args.days ?? CERTS_DEFAULTS.days,
    extraSans: args.sans ?? [],
    ...(args.now ? { now: args.now } : {}),
  });
  const files = await writeCertificates(certs, { out, namespace, manifests: args.manifests ?? false });
  io.stdout(`Wrote ${files.caFile}, ${files.certFile} and ${files.keyFile} (key mode 0600)`);
  if (files.secretFile && files.patchFile) {
    io.stdout(`Wrote ${files.secretFile} (Secret ${namespace}/${TLS_SECRET_NAME}, mode 0600) and ${files.patchFile}`);
  }
  io.stdout(`Serving certificate for ${service}.${namespace}.svc, valid until ${certs.notAfter.toISOString()}`);
  io.stdout(`SANs: ${certs.sans.join(', ')}`);
  io.stdout('caBundle (base64 of ca.crt, for clientConfig.caBundle):');
  io.stdout(certs.caBundle);
  return { caBundle: certs.caBundle, files, sans: certs.sans, notAfter: certs.notAfter };
}
