/** `pullguard certs`: flags in, {@link runCertsCommand} out. */
import { runCertsCommand } from '../certs/certs-command.js';
import { UsageError } from '../errors/usage-error.js';
import { parseFlags } from './parse-flags.js';

export async function certsCli(argv: readonly string[], stdout: (line: string) => void): Promise<number> {
  const values = parseFlags('certs', argv, {
    service: { type: 'string' },
    namespace: { type: 'string' },
    out: { type: 'string' },
    days: { type: 'string' },
    san: { type: 'string', multiple: true },
    manifests: { type: 'boolean' },
  });
  // Parsing the flag is ours; the range is the generator's (PG_CERTS_INVALID_DAYS says what is allowed).
  if (values.days !== undefined && !/^\d{1,9}$/.test(values.days))
    throw new UsageError(`certs: --days must be a whole number of days, got "${values.days}"`);
  const days = values.days === undefined ? undefined : Number(values.days);
  await runCertsCommand(
    {
      ...(values.service ? { service: values.service } : {}),
      ...(values.namespace ? { namespace: values.namespace } : {}),
      ...(values.out ? { out: values.out } : {}),
      ...(days !== undefined ? { days } : {}),
      sans: (values.san ?? [])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter(Boolean),
      manifests: values.manifests ?? false,
    },
    { stdout },
  );
  return 0;
}
