/**
 * `pullguard certs`: flags in, {@link runCertsCommand} (files) or, with `--secret`, {@link runCertsSecretCommand}
 * (a Secret through the Kubernetes API, reached as `diagnose` and `scan` reach it) out.
 */
import { runCertsCommand } from '../certs/certs-command.js';
import { CERTS_DEFAULTS } from '../certs/generate-certificates.js';
import { runCertsSecretCommand } from '../certs/secret-command.js';
import { isDns1123Subdomain } from '../credentials/object-name.js';
import { UsageError } from '../errors/usage-error.js';
import { clusterAccess, type ClusterCommandIo } from './cluster-command.js';
import { parseFlags } from './parse-flags.js';

/** What the command takes from its process (main.ts), or from a test. */
export interface CertsCliIo extends ClusterCommandIo {
  stdout(line: string): void;
}

/** Each API request of `--secret` and `--patch-webhook` gets this long. */
const REQUEST_TIMEOUT_MS = 10_000;

export async function certsCli(argv: readonly string[], io: CertsCliIo): Promise<number> {
  const values = parseFlags('certs', argv, {
    service: { type: 'string' },
    namespace: { type: 'string' },
    out: { type: 'string' },
    days: { type: 'string' },
    san: { type: 'string', multiple: true },
    manifests: { type: 'boolean' },
    secret: { type: 'string' },
    'patch-webhook': { type: 'string' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
  });
  // Parsing the flag is ours; the range is the generator's (PG_CERTS_INVALID_DAYS says what is allowed).
  if (values.days !== undefined && !/^\d{1,9}$/.test(values.days))
    throw new UsageError(`certs: --days must be a whole number of days, got "${values.days}"`);
  const days = values.days === undefined ? undefined : Number(values.days);
  const sans = (values.san ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (values.secret === undefined) {
    for (const flag of ['patch-webhook', 'kubeconfig', 'context'] as const)
      if (values[flag] !== undefined) throw new UsageError(`certs: --${flag} needs --secret NAME`);
    await runCertsCommand(
      {
        ...(values.service ? { service: values.service } : {}),
        ...(values.namespace ? { namespace: values.namespace } : {}),
        ...(values.out ? { out: values.out } : {}),
        ...(days !== undefined ? { days } : {}),
        sans,
        manifests: values.manifests ?? false,
      },
      { stdout: io.stdout },
    );
    return 0;
  }
  if (values.out !== undefined || values.manifests !== undefined)
    throw new UsageError(
      `certs: --secret stores the certificates in the cluster; it cannot be combined with --out or --manifests`,
    );
  for (const [flag, value] of [
    ['--secret', values.secret],
    ['--patch-webhook', values['patch-webhook']],
  ] as const)
    if (value !== undefined && !isDns1123Subdomain(value))
      throw new UsageError(
        `certs: ${flag} "${value}" is not a Kubernetes object name (lower-case letters, digits, "-" and ".")`,
      );
  const kube = await clusterAccess(
    {
      output: 'text',
      allNamespaces: false,
      ...(values.kubeconfig !== undefined ? { kubeconfigPath: values.kubeconfig } : {}),
      ...(values.context !== undefined ? { context: values.context } : {}),
    },
    io,
  );
  const { createKubeRequest } = await import('../kube/kube-request.js');
  await runCertsSecretCommand(
    {
      secret: values.secret,
      namespace: values.namespace || CERTS_DEFAULTS.namespace,
      ...(values['patch-webhook'] !== undefined ? { patchWebhook: values['patch-webhook'] } : {}),
      ...(values.service ? { service: values.service } : {}),
      ...(days !== undefined ? { days } : {}),
      sans,
    },
    createKubeRequest(kube.kubeConfig, REQUEST_TIMEOUT_MS),
    io,
  );
  return 0;
}
