/**
 * P1's measurement, shared with `bench:compare`: servers pinned to the server CPU, wrk on the load CPU, a warm-up
 * per server, then rounds in which every server gets one slice of the same closed-loop load, the order reversed
 * every other round so drift on this shared host hits all servers alike. Ratios are taken within a round.
 */
import { processCpuMs } from './child-process.js';
import { cpuLayout } from './cpu-pinning.js';
import { median } from './load.js';
import { runWrk, type WrkResult, type WrkTarget } from './wrk.js';

export interface PinnedServer {
  readonly name: string;
  readonly pid: number;
  readonly target: WrkTarget;
}

export interface RoundsOptions {
  readonly connections: number;
  readonly warmUpMs: number;
  readonly sliceMs: number;
  readonly rounds: number;
  readonly log?: (line: string) => void;
}

/** One server's slices, in round order. */
export interface ServerSlices {
  readonly name: string;
  readonly slices: readonly (WrkResult & { readonly cpuUsPerRequest: number })[];
}

export async function measureRounds(servers: readonly PinnedServer[], options: RoundsOptions): Promise<ServerSlices[]> {
  const { load } = cpuLayout();
  const run = (server: PinnedServer, durationMs: number): Promise<WrkResult> =>
    runWrk(server.target, { connections: options.connections, durationMs, cpus: load });
  // Long enough for V8 to have optimized the hot paths: the first seconds under load are slower.
  for (const server of servers) await run(server, options.warmUpMs);
  const slices = servers.map(() => [] as (WrkResult & { cpuUsPerRequest: number })[]);
  for (let round = 0; round < options.rounds; round += 1) {
    const order = round % 2 === 0 ? servers.map((_, i) => i) : servers.map((_, i) => servers.length - 1 - i);
    for (const i of order) {
      const server = servers[i] as PinnedServer;
      const cpuBefore = await processCpuMs(server.pid);
      const result = await run(server, options.sliceMs);
      const cpuMs = (await processCpuMs(server.pid)) - cpuBefore;
      slices[i]?.push({ ...result, cpuUsPerRequest: (cpuMs * 1000) / Math.max(1, result.requests) });
    }
    options.log?.(
      `round ${round + 1}: ${servers.map((s, i) => `${s.name} ${slices[i]?.at(-1)?.requestsPerSecond.toFixed(0)} req/s`).join(', ')}`,
    );
  }
  return servers.map((server, i) => ({ name: server.name, slices: slices[i] ?? [] }));
}

/** Each round's throughput of `server` ÷ that of `baseline`. */
export function roundRatios(server: ServerSlices, baseline: ServerSlices): number[] {
  return server.slices.map(
    (slice, round) => slice.requestsPerSecond / (baseline.slices[round]?.requestsPerSecond ?? NaN),
  );
}

export function medianOf(
  server: ServerSlices,
  key: 'requestsPerSecond' | 'cpuUsPerRequest' | 'p50Ms' | 'p99Ms',
): number {
  return median(server.slices.map((slice) => slice[key]));
}

export function totalOf(server: ServerSlices, key: 'requests' | 'errors'): number {
  return server.slices.reduce((n, slice) => n + slice[key], 0);
}
