/**
 * The command line of `pullguard diagnose` (and of `kubectl pullguard diagnose`, the same command as a kubectl
 * plugin): the pods or workloads to explain, and the kubectl flags a kubectl user expects there (`-n`, `-A`,
 * `--kubeconfig`, `--context`, `-o`). Targets are written the way kubectl takes them: `TYPE/NAME`, `TYPE NAME…`, or a
 * bare `NAME` for a pod, with kubectl's type names, short names and plurals
 * (https://kubernetes.io/docs/reference/kubectl/#resource-types). Every problem is a {@link UsageError} (exit 2).
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../errors/usage-error.js';
import { KUBECTL_FLAG_OPTIONS, readKubectlFlags, type KubectlFlags } from './kubectl-flags.js';

export const DIAGNOSE_USAGE = `Usage: pullguard diagnose (pod/NAME | NAME | TYPE/NAME | TYPE NAME… | -A) [-n NAMESPACE]
                          [--kubeconfig FILE] [--context NAME] [-o text|json]
  TYPE                  pod, deployment, statefulset, daemonset, replicaset, job or cronjob
                        (also po, deploy, sts, ds, rs, cj and the plural forms); a workload means its current pods
  -n, --namespace       the namespace of the targets (default: the kubeconfig context's namespace)
  -A, --all-namespaces  every pod in the cluster with a container waiting on an image pull
      --kubeconfig      the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
      --context         the kubeconfig context to use (default: its current-context)
      --config          pullguard's config file (default: $PULLGUARD_CONFIG, else the built-in defaults)
  -o, --output          text (default) or json
Exit codes: 0 nothing is failing, 1 something is, 2 usage or access error.`;

export type TargetKind = 'pod' | 'deployment' | 'statefulset' | 'daemonset' | 'replicaset' | 'job' | 'cronjob';

export interface DiagnoseTarget {
  readonly kind: TargetKind;
  readonly name: string;
}

/** The flags shared with kubectl (kubectl-flags.ts), and the targets. */
export interface DiagnoseOptions extends KubectlFlags {
  readonly help: boolean;
  /** Empty with {@link allNamespaces}, at least one otherwise. */
  readonly targets: readonly DiagnoseTarget[];
}

/** How the command was started, for the `see … --help` hint. */
export type ProgramName = 'pullguard' | 'kubectl pullguard';

/** More targets than this on one command line is a usage error, so the work stays bounded. */
export const MAX_TARGETS = 100;

const KINDS: Readonly<Record<string, TargetKind>> = {
  pod: 'pod',
  pods: 'pod',
  po: 'pod',
  deployment: 'deployment',
  deployments: 'deployment',
  deploy: 'deployment',
  statefulset: 'statefulset',
  statefulsets: 'statefulset',
  sts: 'statefulset',
  daemonset: 'daemonset',
  daemonsets: 'daemonset',
  ds: 'daemonset',
  replicaset: 'replicaset',
  replicasets: 'replicaset',
  rs: 'replicaset',
  job: 'job',
  jobs: 'job',
  cronjob: 'cronjob',
  cronjobs: 'cronjob',
  cj: 'cronjob',
};

/** An object name: a DNS-1123 subdomain (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/). */
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The API group kubectl also accepts after the type (`deployment.apps`, `job.batch`); pods have none. */
const GROUPS: Readonly<Record<TargetKind, string>> = {
  pod: '',
  deployment: 'apps',
  statefulset: 'apps',
  daemonset: 'apps',
  replicaset: 'apps',
  job: 'batch',
  cronjob: 'batch',
};

/** kubectl's type word (`deploy`, `Deployments`, `deployment.apps`) as a kind, or undefined. */
export function targetKind(word: string): TargetKind | undefined {
  const lower = word.toLowerCase();
  const dot = lower.indexOf('.');
  const type = dot < 0 ? lower : lower.slice(0, dot);
  const kind = Object.hasOwn(KINDS, type) ? KINDS[type] : undefined;
  if (kind === undefined || dot < 0) return kind;
  return GROUPS[kind] !== '' && lower.slice(dot + 1) === GROUPS[kind] ? kind : undefined;
}

export function parseDiagnoseArgs(argv: readonly string[], program: ProgramName = 'pullguard'): DiagnoseOptions {
  const see = `see ${program} diagnose --help`;
  const fail = (message: string): never => {
    throw new UsageError(`diagnose: ${message}; ${see}`);
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: KUBECTL_FLAG_OPTIONS,
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(`diagnose: ${(error as Error).message}; ${see}`, { cause: error });
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true, targets: [], allNamespaces: false, output: 'text' };
  const flags = readKubectlFlags(values, fail);
  const { allNamespaces } = flags;
  const targets = parseTargets(positionals, fail);
  if (allNamespaces && targets.length > 0)
    fail('a resource cannot be retrieved by name across all namespaces; drop -A or the names');
  if (!allNamespaces && targets.length === 0)
    fail('name a pod (pod/NAME or NAME) or a workload (deployment/NAME, …), or use -A for every failing pod');
  return { help: false, targets, ...flags };
}

/**
 * The positionals as targets. As in kubectl, either every one is `TYPE/NAME` (or a bare pod `NAME`), or the first is
 * a TYPE and the rest are its names; the two forms do not mix.
 */
function parseTargets(positionals: readonly string[], fail: (message: string) => never): DiagnoseTarget[] {
  if (positionals.length > MAX_TARGETS) fail(`at most ${MAX_TARGETS} targets at once, got ${positionals.length}`);
  const [first, ...rest] = positionals;
  if (first === undefined) return [];
  const firstKind = first.includes('/') ? undefined : targetKind(first);
  if (firstKind !== undefined) {
    if (rest.length === 0) fail(`name the ${firstKind}: ${firstKind}/NAME or ${first} NAME`);
    if (rest.some((word) => word.includes('/')))
      fail(
        'there is no need to specify a resource type as a separate argument when passing arguments in resource/name form',
      );
    return rest.map((name) => target(firstKind, name, fail));
  }
  return positionals.map((word) => {
    const slash = word.indexOf('/');
    if (slash < 0) return target('pod', word, fail);
    const type = word.slice(0, slash);
    const kind = targetKind(type);
    if (kind === undefined)
      fail(
        `the resource type "${type}" is not one diagnose reads (pod, deployment, statefulset, daemonset, replicaset, job, cronjob)`,
      );
    return target(kind as TargetKind, word.slice(slash + 1), fail);
  });
}

function target(kind: TargetKind, name: string, fail: (message: string) => never): DiagnoseTarget {
  if (name === '') fail(`the ${kind} needs a name`);
  if (name.length > 253 || !SUBDOMAIN.test(name))
    fail(`"${name}" is not a valid ${kind} name (lower-case letters, digits, '-' and '.', at most 253 characters)`);
  return { kind, name };
}
