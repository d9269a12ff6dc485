/**
 * The command line of `pullguard scan` (and `kubectl pullguard scan`): which workloads to audit once, with the kubectl
 * flags a kubectl user expects (`-n`, `-A`, `-l`, `--kubeconfig`, `--context`, `-o`), read as
 * src/diagnose/diagnose-args.ts reads diagnose's. `-l` takes kubectl's label selector (kubectl-selector.ts); the text
 * is kept as written for the API server's `labelSelector` parameter, and its parsed form for matching objects an
 * informer already holds. Every problem is a {@link UsageError} (exit 2).
 */
import { parseArgs } from 'node:util';
import type { LabelSelector } from '../diagnose/label-selector.js';
import { UsageError } from '../errors/usage-error.js';
import type { AuditOutcome } from './audit-state.js';
import { parseKubectlSelector } from './kubectl-selector.js';

export const SCAN_USAGE = `Usage: pullguard scan [-n NAMESPACE | -A] [-l SELECTOR] [--kubeconfig FILE] [--context NAME]
                      [--config FILE] [-o text|json]
  -n, --namespace       the namespace to scan (default: the kubeconfig context's namespace)
  -A, --all-namespaces  every namespace
  -l, --selector        only workloads with these labels: kubectl's grammar (app=web,tier!=cache,
                        env in (prod,stage),!legacy)
      --kubeconfig      the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
      --context         the kubeconfig context to use (default: its current-context)
      --config          pullguard's config file (default: $PULLGUARD_CONFIG, else the built-in defaults)
  -o, --output          text (default) or json
Checks every Deployment (also scaled to zero), StatefulSet, DaemonSet, CronJob, Job, ReplicaSet and Pod without
a controller, and the custom resources pullguard knows, once per distinct image and credentials.
Exit codes: 0 every image is available, 1 something would fail to pull, 2 usage or access error.`;

export interface ScanOptions {
  readonly help: boolean;
  /** As given with `-n`; absent means the kubeconfig context's namespace. Dropped with `-A`, as kubectl does. */
  readonly namespace?: string;
  readonly allNamespaces: boolean;
  /** `-l`: the text as written (for the API's `labelSelector`) and its parsed form. */
  readonly selector?: { readonly text: string; readonly parsed: LabelSelector };
  readonly kubeconfigPath?: string;
  readonly context?: string;
  readonly configPath?: string;
  readonly output: 'text' | 'json';
}

/** How the command was started, for the `see … --help` hint. */
export type ProgramName = 'pullguard' | 'kubectl pullguard';

/** A namespace name: a DNS-1123 label. */
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function parseScanArgs(argv: readonly string[], program: ProgramName = 'pullguard'): ScanOptions {
  const see = `see ${program} scan --help`;
  const fail = (message: string): never => {
    throw new UsageError(`scan: ${message}; ${see}`);
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        namespace: { type: 'string', short: 'n' },
        'all-namespaces': { type: 'boolean', short: 'A' },
        selector: { type: 'string', short: 'l' },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        config: { type: 'string' },
        output: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(`scan: ${(error as Error).message}; ${see}`, { cause: error });
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true, allNamespaces: false, output: 'text' };
  if (positionals.length > 0)
    fail(`scan takes no names (got "${positionals[0]}"); narrow it with -n NAMESPACE or -l SELECTOR`);
  // kubectl (spf13/pflag) reads `-n=NS`, `-l=app=web` and `-o=json` as `-n NS`, `-l app=web`, `-o json`.
  const format = (values.output ?? 'text').replace(/^=/, '');
  const output =
    format === 'text' || format === 'json'
      ? format
      : fail(`unable to match a printer suitable for the output format "${format}", allowed formats are: text,json`);
  const allNamespaces = values['all-namespaces'] ?? false;
  const namespace = values.namespace?.replace(/^=/, '');
  if (namespace !== undefined && !allNamespaces && (namespace.length > 63 || !LABEL.test(namespace)))
    fail(
      `"${namespace}" is not a valid namespace name (a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters)`,
    );
  for (const [flag, value] of [
    ['--kubeconfig', values.kubeconfig],
    ['--context', values.context],
    ['--config', values.config],
  ] as const)
    if (value === '') fail(`${flag} needs a value`);
  const selectorText = values.selector?.replace(/^=/, '').trim();
  let selector: ScanOptions['selector'];
  if (selectorText !== undefined && selectorText !== '') {
    const read = parseKubectlSelector(selectorText);
    if (!read.ok) return fail(read.problem);
    selector = Object.freeze({ text: selectorText, parsed: read.selector });
  }
  return {
    help: false,
    allNamespaces,
    output,
    ...(namespace !== undefined && !allNamespaces ? { namespace } : {}),
    ...(selector !== undefined ? { selector } : {}),
    ...(values.kubeconfig ? { kubeconfigPath: values.kubeconfig } : {}),
    ...(values.context ? { context: values.context } : {}),
    ...(values.config ? { configPath: values.config } : {}),
  };
}

/**
 * The exit code of a finished scan, as `check`'s: 1 when any check found an image unavailable, else 0. A check
 * that could not run (`error`) is not a pass: a scan that could not finish exits 2 through its error, so `error`
 * here also counts as 1 rather than let a pipeline read "all available".
 */
export function scanExitCode(outcomes: Readonly<Record<AuditOutcome, number>>): 0 | 1 {
  return outcomes.unavailable > 0 || outcomes.error > 0 || outcomes.pending > 0 ? 1 : 0;
}
