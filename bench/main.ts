/**
 * The bench: sets up the shared environment, runs each figure of docs/design.md §7.1 (a figure that throws becomes an
 * `error` row; the others still run), prints the table and writes it as JSON next to the logs. Entry point:
 * bench/run.mjs.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { measureCheckStartup, measureCheckStream } from './figures/check-cli.js';
import { measureFanOut } from './figures/fan-out.js';
import { measureGitopsBurst } from './figures/gitops-burst.js';
import { measureIndexMemory } from './figures/index-memory.js';
import { measureLoopDelay } from './figures/loop-delay.js';
import { measureMemory } from './figures/memory.js';
import { measureCoalescing, measureRequestsPerImage } from './figures/registry-requests.js';
import { measureThroughput } from './figures/throughput.js';
import { measureTimeToReady } from './figures/time-to-ready.js';
import { measureWorstCaseInputs } from './figures/worst-case-inputs.js';
import { withBenchOnLoadCpu } from './lib/cpu-pinning.js';
import { setUpEnvironment, type BenchEnv, type BenchSettings } from './lib/environment.js';
import { productionNodeFlags } from './lib/production-node-flags.js';
import { startPullguard, type PullguardProcess } from './lib/pullguard-process.js';
import { failedRow, renderTable, type FigureRow } from './lib/report.js';

export interface BenchOptions extends BenchSettings {
  /** Figure ids to run (default all). */
  readonly only?: readonly string[];
  /** Where to write results.json (default: not written). */
  readonly resultsFile?: string;
}

interface Figure {
  readonly ids: readonly string[];
  readonly title: string;
  readonly target: string;
  readonly run: (env: BenchEnv, server: PullguardProcess) => Promise<FigureRow[]>;
  /** Starts its own pullguard(s) instead of using the shared one. */
  readonly ownServer?: boolean;
}

const FIGURES: readonly Figure[] = [
  {
    ids: ['P1', 'P6'],
    title: 'warm admission throughput / p99',
    target: '>= 0.7',
    run: (env) => measureThroughput(env),
    ownServer: true,
  },
  { ids: ['P2'], title: 'cold fan-out', target: '<= 1.3', run: measureFanOut },
  { ids: ['P3'], title: 'registry requests per cold image', target: '1.0', run: measureRequestsPerImage },
  { ids: ['P4'], title: 'coalescing', target: 'exactly 1', run: measureCoalescing },
  { ids: ['P5'], title: 'memory', target: '<= 200 MB', run: (env) => measureMemory(env), ownServer: true },
  {
    ids: ['P5I', 'P5H'],
    title: 'memory with image indexes',
    target: '<= 200 MB',
    run: (env) => measureIndexMemory(env),
    ownServer: true,
  },
  {
    ids: ['P7', 'P7M'],
    title: 'GitOps burst',
    target: '<= 3, 1.0',
    run: (env) => withBenchOnLoadCpu(() => measureGitopsBurst(env)),
    ownServer: true,
  },
  {
    ids: ['R9'],
    title: 'event-loop delay under hostile input',
    target: '<= 50 ms',
    run: (env) => measureLoopDelay(env),
    ownServer: true,
  },
  {
    ids: ['W1', 'W2'],
    title: 'worst-case inputs of the pure code',
    target: '< 1000 ms',
    run: () => measureWorstCaseInputs(),
    ownServer: true,
  },
  {
    ids: ['P8', 'P8M'],
    title: 'check --offline on a 10,000-document stream',
    target: '>= 0.5, <= 300 MB',
    run: (env) => measureCheckStream(env),
    ownServer: true,
  },
  {
    ids: ['P9'],
    title: 'check --offline start-up',
    target: '<= 5',
    run: (env) => measureCheckStartup(env),
    ownServer: true,
  },
  {
    ids: ['P10'],
    title: 'serve time to ready',
    target: 'reported',
    run: (env) => measureTimeToReady(env),
    ownServer: true,
  },
];

/** Runs the bench; resolves to the exit code (1 when an asserted figure missed its target or failed). */
export async function runBench(options: BenchOptions): Promise<number> {
  const wanted = FIGURES.filter((f) => !options.only || f.ids.some((id) => options.only?.includes(id)));
  const started = performance.now();
  const env = await setUpEnvironment(options);
  options.log(
    `pullguard runs with the node flags of the Dockerfile ENTRYPOINT: ${productionNodeFlags(options.repoRoot).join(' ')}`,
  );
  if (options.serverNodeFlags?.length)
    options.log(`NOTE: pullguard runs with extra node flags: ${options.serverNodeFlags.join(' ')}`);
  const rows: FigureRow[] = [];
  let server: PullguardProcess | undefined;
  try {
    const needsShared = wanted.some((f) => !f.ownServer);
    if (needsShared) {
      server = await startPullguard({
        name: 'pullguard',
        repoRoot: options.repoRoot,
        workDir: env.workDir,
        certDir: env.certDir,
        config: env.serverConfig,
        ...(options.cpuProfDir ? { cpuProfDir: options.cpuProfDir } : {}),
        ...(options.serverNodeFlags ? { nodeFlags: options.serverNodeFlags } : {}),
      });
    }
    for (const figure of wanted) {
      options.log(`running ${figure.ids.join('+')}: ${figure.title}`);
      try {
        rows.push(...(await figure.run(env, server as PullguardProcess)));
      } catch (error) {
        rows.push(...figure.ids.map((id) => failedRow(id, figure.title, figure.target, error)));
      }
    }
  } finally {
    await server?.stop();
    await env.close();
  }
  const table = renderTable(rows);
  options.log(`\n${table}\n\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (options.resultsFile) {
    await writeFile(
      path.resolve(options.resultsFile),
      `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`,
    );
  }
  return rows.some((row) => row.pass === false) ? 1 : 0;
}
