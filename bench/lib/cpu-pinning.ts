/**
 * Where the figures that model the API server's load on the webhook (P1 and P6, P7) run their processes. In a
 * cluster the API server never shares the webhook's CPU, so there the servers under test (pullguard and the bare
 * fastify baseline, every thread of them) run on CPU 0 and the load generator (wrk, and the bench process itself
 * with its undici loops and latency proxy) on CPU 1, through `taskset` (util-linux). The other figures keep both
 * CPUs for everything, as their targets were set (docs/benchmarks.md). Without taskset or a second CPU nothing is
 * pinned and the run says so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';

export interface CpuLayout {
  /** CPU list for the servers under test (`taskset -c`), or undefined when unpinned. */
  readonly server: string | undefined;
  /** CPU list for the load generator. */
  readonly load: string | undefined;
  /** One line for the run's log. */
  readonly description: string;
}

const SERVER_CPU = '0';
const LOAD_CPU = '1';

let layout: CpuLayout | undefined;

/** The layout, decided once per bench process (before it pins itself). */
export function cpuLayout(): CpuLayout {
  layout ??= decideLayout();
  return layout;
}

function decideLayout(): CpuLayout {
  if (process.env['BENCH_PIN'] === '0')
    return {
      server: undefined,
      load: undefined,
      description: 'CPU pinning off (BENCH_PIN=0): servers and load share all CPUs',
    };
  const cpus = os.cpus().length;
  const taskset = spawnSync('taskset', ['--version'], { stdio: 'ignore' });
  if (taskset.error || taskset.status !== 0)
    return { server: undefined, load: undefined, description: 'NOTE: taskset not found (util-linux): nothing pinned' };
  if (cpus < 2) return { server: undefined, load: undefined, description: `NOTE: ${cpus} CPU: nothing pinned` };
  return {
    server: SERVER_CPU,
    load: LOAD_CPU,
    description: `servers under test pinned to CPU ${SERVER_CPU} (all threads), load generator and bench to CPU ${LOAD_CPU} (taskset; ${cpus} CPUs)`,
  };
}

/** The command line that runs `command args` on `cpus` (every thread it starts inherits the affinity). */
export function pinnedCommand(
  cpus: string | undefined,
  command: string,
  args: readonly string[],
): { readonly command: string; readonly args: string[] } {
  return cpus === undefined
    ? { command, args: [...args] }
    : { command: 'taskset', args: ['-c', cpus, command, ...args] };
}

/**
 * Runs `work` with every thread of this process (V8 and libuv helpers included) on the load generator's CPU, then
 * gives the process all CPUs back.
 */
export async function withBenchOnLoadCpu<T>(work: () => Promise<T>): Promise<T> {
  const { load } = cpuLayout();
  if (load === undefined) return work();
  setAffinity(load);
  try {
    return await work();
  } finally {
    setAffinity(`0-${os.cpus().length - 1}`);
  }
}

function setAffinity(cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
}
