/**
 * The flags of `pullguard check` (docs/design.md §4.2), parsed and checked; every problem is a {@link UsageError}
 * (exit 2).
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../errors/usage-error.js';
import { parsePlatform, type Platform } from '../platform/platform.js';

export const CHECK_USAGE = `Usage: pullguard check -f FILE|DIR|- [-f …] [--config FILE] [--offline] [-o text|json]
                       [--platform linux/amd64,linux/arm64] [--kubeconfig FILE]
  -f, --filename    a manifest file, a directory (searched recursively for .yaml, .yml, .json) or - for stdin
      --config      the config file of \`pullguard serve\` (default: $PULLGUARD_CONFIG)
      --offline     no network: the reference grammar, :latest and pull policy rules only
  -o, --output      text (default) or json (one array of records, one per image use)
      --platform    platforms the pods run on, for the multi-arch check (default: platforms: of the config)
      --kubeconfig  read pull secrets and service accounts from this cluster
Exit codes: 0 all allowed (warnings included), 1 something would be denied, 2 usage or input error.`;

export type OutputFormat = 'text' | 'json';

export interface CheckOptions {
  readonly help: boolean;
  readonly sources: readonly string[];
  readonly configPath?: string;
  readonly offline: boolean;
  readonly output: OutputFormat;
  readonly platforms?: readonly Platform[];
  readonly kubeconfigPath?: string;
}

export function parseCheckOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CheckOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        filename: { type: 'string', short: 'f', multiple: true },
        config: { type: 'string' },
        offline: { type: 'boolean' },
        output: { type: 'string', short: 'o' },
        platform: { type: 'string', multiple: true },
        kubeconfig: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    const message = (error as Error).message;
    const hint = /Unexpected argument/.test(message) ? ' (name manifests with -f)' : '';
    throw new UsageError(`check: ${message}${hint}; see pullguard check --help`, { cause: error });
  }
  if (values.help) return { help: true, sources: [], offline: false, output: 'text' };
  const sources = values.filename ?? [];
  if (sources.length === 0)
    throw new UsageError('check: name the manifests with -f FILE|DIR|-; see pullguard check --help');
  if (sources.some((s) => s === '')) throw new UsageError('check: -f needs a file, a directory or -');
  if (sources.filter((s) => s === '-').length > 1) throw new UsageError('check: stdin (-f -) can be read only once');
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`check: -o must be text or json, got "${output}"`);
  const configPath = values.config ?? nonEmpty(env['PULLGUARD_CONFIG']);
  const platforms = values.platform ? parsePlatforms(values.platform) : undefined;
  return {
    help: false,
    sources,
    offline: values.offline ?? false,
    output,
    ...(configPath ? { configPath } : {}),
    ...(platforms ? { platforms } : {}),
    ...(values.kubeconfig ? { kubeconfigPath: values.kubeconfig } : {}),
  };
}

/** `--platform linux/amd64,linux/arm64` (comma-separated, repeatable). */
function parsePlatforms(texts: readonly string[]): Platform[] {
  const parts = texts
    .flatMap((t) => t.split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new UsageError('check: --platform needs at least one os/arch, e.g. linux/amd64');
  return parts.map((part) => {
    const platform = parsePlatform(part);
    if (!platform) throw new UsageError(`check: --platform "${part}" is not os/arch[/variant], e.g. linux/arm64`);
    return platform;
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
