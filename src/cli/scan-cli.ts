/**
 * `pullguard scan` (and `kubectl pullguard scan`): checks every workload already in the cluster (or one namespace,
 * or those a label selector picks) once, with the webhook's engine and each workload's own credentials, and says
 * which images would fail on the next pull. Flags in; the workloads listed through the kubeconfig; each distinct
 * image and credentials checked once, paced per registry (`audit.requestsPerSecondPerRegistry`) and at most
 * `audit.concurrency` at once; the report rendered as text or JSON; an exit code out as `check`'s: 0 every image is
 * available, 1 something would fail to pull, 2 a usage or access error (then also said on stderr, one line).
 */
import { buildInventory } from '../audit/inventory.js';
import { renderScanJson } from '../audit/render-scan-json.js';
import { renderScanText } from '../audit/render-scan-text.js';
import { runScan, type ScanListing } from '../audit/run-scan.js';
import { parseScanArgs, scanExitCode, SCAN_USAGE, type ProgramName } from '../audit/scan-args.js';
import type { ScanReport } from '../audit/scan-report.js';
import { PullguardError } from '../errors/pullguard-error.js';
import { workloadCatalog } from '../workload/workload-catalog.js';
import { createAuditCheck } from './audit-check.js';
import { composeEngine } from './compose-engine.js';
import { clusterAccess, commandConfig } from './cluster-command.js';
import { reportFailure } from './failure-line.js';
import { listNodes } from './scan-nodes.js';

export interface ScanOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Everything the command needs from its process, passed in by main.ts (and by tests). */
export interface ScanIo {
  readonly stdout: ScanOutput;
  readonly stderr: ScanOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly cwd: string;
  readonly program: ProgramName;
  /** Aborts the run (Ctrl-C): pending lists and registry requests stop, and the scan exits 2. */
  readonly signal?: AbortSignal;
}

const EXIT_USAGE_OR_ACCESS = 2;
/** Each check gets this long, at least: a terminal user waits longer than an API server lets a webhook. */
const MIN_CHECK_BUDGET_MS = 20_000;

export async function scanCli(argv: readonly string[], io: ScanIo): Promise<number> {
  try {
    return await runScanCommand(argv, io);
  } catch (error) {
    reportFailure(io, io.program, error);
    return EXIT_USAGE_OR_ACCESS;
  }
}

async function runScanCommand(argv: readonly string[], io: ScanIo): Promise<number> {
  const options = parseScanArgs(argv, io.program);
  if (options.help) {
    io.stdout.write(`${SCAN_USAGE.replace('pullguard scan', `${io.program} scan`)}\n`);
    return 0;
  }
  const config = await commandConfig(options, io);
  const [kube, { listWorkloads }, { auditedResources, resourceName }, { discoverServedResources }] = await Promise.all([
    clusterAccess(options, io),
    import('../kube/workload-lister.js'),
    import('../kube/workload-resources.js'),
    import('../kube/api-discovery.js'),
  ]);
  const signal = io.signal ?? new AbortController().signal;
  const requestTimeoutMs = config.network.requestTimeoutMs;
  // Discovery first: a cluster has few of the custom resources pullguard knows, and one request per group version
  // beats one list per resource. Without discovery every resource is listed, and a 404 says it is not installed.
  const known = auditedResources(config.workloads);
  const discovered = await discoverServedResources(kube.kubeConfig, known, { signal, requestTimeoutMs });
  const resources = discovered.problem === undefined ? discovered.served : known;
  const undiscovered = known.filter((resource) => !resources.includes(resource));
  const namespace = options.allNamespaces ? undefined : (options.namespace ?? kube.namespace);
  const [listing, nodes] = await Promise.all([
    listWorkloads({
      kubeConfig: kube.kubeConfig,
      resources,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(options.selector ? { labelSelector: options.selector.text } : {}),
      signal,
      requestTimeoutMs,
    }),
    listNodes(kube, { signal, requestTimeoutMs }),
  ]);
  if (signal.aborted) throw stoppedError();
  const listed = resources.length - listing.problems.length - listing.notServed.length;
  const [firstProblem] = listing.problems;
  if (listed <= 0 && firstProblem !== undefined)
    throw new PullguardError(
      'PG_KUBE_UNREADABLE',
      `no workload could be listed at ${kube.server}: ${firstProblem.detail}${listing.problems.length > 1 ? ` (and ${listing.problems.length - 1} more resources)` : ''}`,
    );
  const inventory = buildInventory(workloadCatalog(config.workloads), listing.objects);
  const scanListing: ScanListing = {
    problems: [
      ...(discovered.problem ? [discovered.problem] : []),
      ...listing.problems.map((problem) => problem.detail),
      ...(nodes.problem ? [nodes.problem] : []),
    ],
    notServed: [...undiscovered, ...listing.notServed].map(resourceName),
    capped: listing.capped,
  };
  let report: ScanReport;
  const engine = await composeEngine({
    config,
    kubernetes: true,
    kubeAccess: kube,
    watchNodes: false,
    nodes: () => nodes.nodes,
    audit: true,
    env: io.env,
    homeDir: io.homeDir,
  });
  try {
    const check = createAuditCheck({
      reviewer: engine.reviewer,
      budgetMs: Math.max(MIN_CHECK_BUDGET_MS, config.network.budgetMs),
    });
    report = await runScan(inventory, scanListing, { check, concurrency: config.audit.concurrency, signal });
  } finally {
    await engine.close();
  }
  if (report.stopped) throw stoppedError();
  // The text says its problems itself; JSON on stdout is for a program, so a person sees them on stderr too.
  if (options.output === 'json')
    for (const problem of report.problems) io.stderr.write(`${io.program}: ${problem.message}\n`);
  io.stdout.write(
    options.output === 'json'
      ? renderScanJson(report)
      : renderScanText(report, { color: io.stdout.isTTY === true && !io.env['NO_COLOR'] }),
  );
  return scanExitCode({ ...report.summary.outcomes, pending: 0 });
}

function stoppedError(): PullguardError {
  return new PullguardError('PG_INTERRUPTED', 'scan stopped before every check finished (interrupted)');
}
