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
import { KUBECTL_FLAG_OPTIONS, readKubectlFlags, type KubectlFlags } from '../diagnose/kubectl-flags.js';

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

/** The flags shared with kubectl (src/diagnose/kubectl-flags.ts: `-n`, `-A`, `-o`, the files), and `-l`. */
export interface ScanOptions extends KubectlFlags {
  readonly help: boolean;
  /** `-l`: the text as written (for the API's `labelSelector`) and its parsed form. */
  readonly selector?: { readonly text: string; readonly parsed: LabelSelector };
}

/** How the command was started, for the `see … --help` hint. */
export type ProgramName = 'pullguard' | 'kubectl pullguard';

export function parseScanArgs(argv: readonly string[], program: ProgramName = 'pullguard'): ScanOptions {
  const see = `see ${program} scan --help`;
  const fail = (message: string): never => {
    throw new UsageError(`scan: ${message}; ${see}`);
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...KUBECTL_FLAG_OPTIONS, selector: { type: 'string', short: 'l' } },
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
  const flags = readKubectlFlags(values, fail);
  // kubectl reads `-l=app=web` as `-l app=web`, as it reads `-n=NS` (kubectl-flags.ts).
  const selectorText = values.selector?.replace(/^=/, '').trim();
  let selector: ScanOptions['selector'];
  if (selectorText !== undefined && selectorText !== '') {
    const read = parseKubectlSelector(selectorText);
    if (!read.ok) return fail(read.problem);
    selector = Object.freeze({ text: selectorText, parsed: read.selector });
  }
  return { help: false, ...flags, ...(selector !== undefined ? { selector } : {}) };
}

/**
 * The exit code of a finished scan, as `check`'s: 1 when any check found an image unavailable, else 0. A check
 * that could not run (`error`) is not a pass: a scan that could not finish exits 2 through its error, so `error`
 * here also counts as 1 rather than let a pipeline read "all available".
 */
export function scanExitCode(outcomes: Readonly<Record<AuditOutcome, number>>): 0 | 1 {
  return outcomes.unavailable > 0 || outcomes.error > 0 || outcomes.pending > 0 ? 1 : 0;
}
