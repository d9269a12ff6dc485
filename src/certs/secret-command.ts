/**
 * `pullguard certs --secret NAME [--patch-webhook NAME]` (docs/design.md §4.3), the mode the Helm chart's hook Jobs
 * run in the cluster: the certificates live in a Secret instead of files, and optionally the webhook configuration
 * gets their CA. The output is as the file mode's, one fact per line, the base64 caBundle of the Secret's `ca.crt`
 * last (kept or new), so `tail -n1` takes it. The key is never printed.
 */
import { ensureCertificateSecret } from './certificate-secret.js';
import type { CertsApiRequest } from './certs-api.js';
import { CERTS_DEFAULTS } from './generate-certificates.js';
import { ensureWebhookCaBundle } from './webhook-ca-bundle.js';

export interface CertsSecretArgs {
  readonly secret: string;
  readonly patchWebhook?: string;
  readonly service?: string;
  readonly namespace: string;
  readonly days?: number;
  readonly sans?: readonly string[];
  readonly now?: Date;
  /** How long `--patch-webhook` waits for the configuration to exist (default 60 s). */
  readonly webhookWaitMs?: number;
}

export interface CertsSecretResult {
  readonly action: 'kept' | 'created' | 'replaced';
  readonly caBundle: string;
  readonly webhook?: 'patched' | 'unchanged';
}

export async function runCertsSecretCommand(
  args: CertsSecretArgs,
  request: CertsApiRequest,
  io: { stdout(line: string): void },
): Promise<CertsSecretResult> {
  const service = args.service ?? CERTS_DEFAULTS.service;
  const { namespace, secret } = args;
  const stored = await ensureCertificateSecret(request, {
    namespace,
    name: secret,
    service,
    days: args.days ?? CERTS_DEFAULTS.days,
    extraSans: args.sans ?? [],
    now: args.now ?? new Date(),
  });
  const label = `Secret ${namespace}/${secret}`;
  if (stored.action === 'kept') io.stdout(`Kept ${label}: its certificates are valid and name every SAN wanted`);
  else if (stored.action === 'created') io.stdout(`Created ${label} (kubernetes.io/tls: tls.crt, tls.key, ca.crt)`);
  else io.stdout(`Replaced ${label}: ${stored.reason ?? 'its certificates were not usable'}`);
  io.stdout(`Serving certificate for ${service}.${namespace}.svc, valid until ${stored.notAfter.toISOString()}`);
  io.stdout(`SANs: ${stored.sans.join(', ')}`);
  const caBundle = Buffer.from(stored.caPem, 'utf8').toString('base64');
  let webhook: CertsSecretResult['webhook'];
  if (args.patchWebhook !== undefined) {
    const name = args.patchWebhook;
    const result = await ensureWebhookCaBundle(request, {
      name,
      caBundle,
      say: io.stdout,
      ...(args.webhookWaitMs !== undefined ? { waitMs: args.webhookWaitMs } : {}),
    });
    webhook = result.action;
    const label = `ValidatingWebhookConfiguration ${name}`;
    io.stdout(
      result.action === 'patched'
        ? `Patched ${label}: caBundle set on ${plural(result.webhooks)}`
        : `${label} already carries this caBundle on ${plural(result.webhooks)}: not patched`,
    );
  }
  io.stdout('caBundle (base64 of ca.crt, for clientConfig.caBundle):');
  io.stdout(caBundle);
  return { action: stored.action, caBundle, ...(webhook !== undefined ? { webhook } : {}) };
}

function plural(count: number): string {
  return count === 1 ? '1 webhook' : `${count} webhooks`;
}
