/**
 * `pullguard diagnose` (and `kubectl pullguard diagnose`): explains pods that already fail to pull their images
 * (docs/diagnose.md). Flags in; the cluster read through the kubeconfig; the webhook's engine run on each failing
 * pod with its own credentials and node; the report rendered as text or JSON; an exit code out: 0 nothing is
 * failing, 1 something is, 2 a usage or access error (then also said on stderr, one line each).
 */
import { DIAGNOSE_USAGE, parseDiagnoseArgs, type ProgramName } from '../diagnose/diagnose-args.js';
import { exitCodeOf, EXIT_USAGE_OR_ACCESS, type DiagnoseReport } from '../diagnose/report.js';
import { runDiagnose } from '../diagnose/run-diagnose.js';
import { renderDiagnoseJson } from '../diagnose/render-json.js';
import { renderDiagnoseText } from '../diagnose/render-text.js';
import { composeEngine } from './compose-engine.js';
import { createDiagnosePodCheck, createNodeBook } from './diagnose-pod-check.js';
import { clusterAccess, commandConfig } from './cluster-command.js';
import { reportFailure } from './failure-line.js';

export interface DiagnoseOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Everything the command needs from its process, passed in by main.ts (and by tests). */
export interface DiagnoseIo {
  readonly stdout: DiagnoseOutput;
  readonly stderr: DiagnoseOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly cwd: string;
  readonly program: ProgramName;
  /** Aborts the run (Ctrl-C); pending reads and registry requests stop. */
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

/** Each pod's images get this long, at least: a terminal user waits longer than an API server lets a webhook. */
const MIN_POD_BUDGET_MS = 20_000;

export async function diagnoseCli(argv: readonly string[], io: DiagnoseIo): Promise<number> {
  try {
    return await runDiagnoseCommand(argv, io);
  } catch (error) {
    reportFailure(io, io.program, error);
    return EXIT_USAGE_OR_ACCESS;
  }
}

async function runDiagnoseCommand(argv: readonly string[], io: DiagnoseIo): Promise<number> {
  const options = parseDiagnoseArgs(argv, io.program);
  if (options.help) {
    io.stdout.write(`${DIAGNOSE_USAGE.replace('pullguard diagnose', `${io.program} diagnose`)}\n`);
    return 0;
  }
  const config = await commandConfig(options, io);
  const [kube, { createDiagnoseReader }] = await Promise.all([
    clusterAccess(options, io),
    import('../kube/diagnose-reader.js'),
  ]);
  const nodeBook = createNodeBook();
  const engine = await composeEngine({
    // An exempt image is one the webhook lets through unchecked; diagnose is asked about it, so it checks it.
    config: { ...config, exemptImages: [] },
    kubernetes: true,
    kubeAccess: kube,
    watchNodes: false,
    namespaceModes: false,
    nodes: nodeBook.nodes,
    env: io.env,
    homeDir: io.homeDir,
  });
  let report: DiagnoseReport;
  try {
    const checkPod = createDiagnosePodCheck(
      {
        reviewer: engine.reviewer,
        ...(engine.clusterReader ? { clusterReader: engine.clusterReader } : {}),
        budgetMs: Math.max(MIN_POD_BUDGET_MS, config.network.budgetMs),
      },
      nodeBook,
    );
    report = await runDiagnose(
      {
        targets: options.targets,
        namespace: options.namespace ?? kube.namespace,
        allNamespaces: options.allNamespaces,
      },
      {
        cluster: createDiagnoseReader(kube, { requestTimeoutMs: config.network.requestTimeoutMs }),
        checkPod,
        now: io.now ?? (() => new Date()),
        signal: io.signal ?? new AbortController().signal,
      },
    );
  } finally {
    await engine.close();
  }
  // The text says its problems itself; JSON on stdout is for a program, so a person sees them on stderr too.
  if (options.output === 'json') for (const problem of report.problems) io.stderr.write(`${io.program}: ${problem}\n`);
  io.stdout.write(
    options.output === 'json'
      ? renderDiagnoseJson(report)
      : renderDiagnoseText(report, { color: io.stdout.isTTY === true && !io.env['NO_COLOR'] }),
  );
  return exitCodeOf(report);
}
