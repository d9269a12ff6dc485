/**
 * Event-loop delay of the pullguard child over a window, measured two ways:
 *
 * - inside: the server's own `perf_hooks.monitorEventLoopDelay` histogram (resolution 10 ms), which prom-client's
 *   default metrics keep and expose as `nodejs_eventloop_lag_{max,p99,mean}_seconds`, and reset on every scrape of
 *   /metrics. A scrape opens the window and one closes it, so the figure is what the shipped server measures about
 *   itself, with the production flags and nothing added to its code. A sample is the time between two 10 ms timer
 *   ticks, so an idle loop reads ~10 ms and a loop blocked for 200 ms reads ~210 ms.
 * - outside: the round trip of `GET /healthz` on the health port (the same event loop), polled every 5 ms from the
 *   bench. It needs no cooperation from the server and still reports when the server dies mid-window, but it also
 *   carries the bench process's own delays (it serves the hostile registry on its loop).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { processCpuMs } from './child-process.js';
import { percentile } from './load.js';
import { counterValue } from './prometheus.js';
import type { PullguardProcess } from './pullguard-process.js';

export interface InsideDelay {
  readonly maxMs: number;
  readonly p99Ms: number;
  readonly meanMs: number;
}

export interface ProbeDelay {
  readonly maxMs: number;
  readonly p99Ms: number;
  readonly samples: number;
  readonly failures: number;
}

export interface LoopDelayReport {
  /** Undefined when /metrics could not be read at the end (`insideError` says why). */
  readonly inside?: InsideDelay;
  readonly insideError?: string;
  readonly probe: ProbeDelay;
}

export interface LoopDelayWindow {
  close(): Promise<LoopDelayReport>;
}

/** A sample after a histogram reset only marks the start, so the window opens one settled tick after the scrape. */
const AFTER_RESET_MS = 50;
const PROBE_INTERVAL_MS = 5;
/** A server still blocked this long after the window is reported as such rather than waited for. */
const SCRAPE_TIMEOUT_MS = 60_000;

export async function openLoopDelayWindow(server: PullguardProcess): Promise<LoopDelayWindow> {
  await server.metrics(); // resets the histogram
  await sleep(AFTER_RESET_MS);
  const probe = startHealthProbe(server.healthOrigin);
  return {
    async close() {
      const probed = await probe.stop();
      if (server.exitStatus() !== undefined) return { insideError: `server ${server.exitStatus()}`, probe: probed };
      try {
        const text = await server.metrics(SCRAPE_TIMEOUT_MS);
        // A missing series would read as 0 ms: a pass that measured nothing.
        if (!/^nodejs_eventloop_lag_max_seconds /m.test(text))
          return { insideError: 'pullguard exposes no nodejs_eventloop_lag_max_seconds', probe: probed };
        const ms = (name: string) => counterValue(text, name) * 1000;
        const inside = {
          maxMs: ms('nodejs_eventloop_lag_max_seconds'),
          p99Ms: ms('nodejs_eventloop_lag_p99_seconds'),
          meanMs: ms('nodejs_eventloop_lag_mean_seconds'),
        };
        return { inside, probe: probed };
      } catch (error) {
        const status = server.exitStatus();
        return {
          insideError: status
            ? `server ${status}`
            : `/metrics did not answer within ${SCRAPE_TIMEOUT_MS / 1000} s (${(error as Error).name})`,
          probe: probed,
        };
      }
    },
  };
}

/** Polls /healthz one request at a time; a request still waiting at `stop()` counts with the time it has waited. */
function startHealthProbe(healthOrigin: string): { stop(): Promise<ProbeDelay> } {
  const pool = new Pool(healthOrigin, { connections: 1, pipelining: 1, keepAliveTimeout: 60_000 });
  const controller = new AbortController();
  const rtts: number[] = [];
  let failures = 0;
  const loop = (async () => {
    while (!controller.signal.aborted) {
      const started = performance.now();
      try {
        const response = await pool.request({ path: '/healthz', method: 'GET', signal: controller.signal });
        await response.body.dump();
        rtts.push(performance.now() - started);
      } catch {
        // Unanswered is still a wait: at least this long (Node's own headersTimeout can drop a request that sat in
        // the socket through a long block).
        rtts.push(performance.now() - started);
        if (!controller.signal.aborted) failures += 1;
        if (!controller.signal.aborted) await sleep(50); // refused: the server is gone or restarting
      }
      await sleep(PROBE_INTERVAL_MS);
    }
  })();
  return {
    async stop() {
      controller.abort();
      await loop;
      await pool.destroy().catch(() => undefined);
      return { maxMs: Math.max(0, ...rtts), p99Ms: percentile(rtts, 99), samples: rtts.length, failures };
    },
  };
}

/**
 * Waits until the server has used less than `busyShare` of one CPU over `windowMs`: work a review started may go on
 * after its answer (a suggestion list computed after the deadline answered), and it belongs in the window.
 * Resolves to how long it waited, or undefined when it gave up after `timeoutMs` or the server exited.
 */
export async function waitUntilIdle(
  server: PullguardProcess,
  options: { windowMs?: number; busyShare?: number; timeoutMs?: number } = {},
): Promise<number | undefined> {
  const windowMs = options.windowMs ?? 500;
  const busyShare = options.busyShare ?? 0.1;
  const started = performance.now();
  while (performance.now() - started < (options.timeoutMs ?? 60_000)) {
    if (server.exitStatus() !== undefined) return undefined;
    try {
      const before = await processCpuMs(server.pid);
      await sleep(windowMs);
      if ((await processCpuMs(server.pid)) - before <= windowMs * busyShare) return performance.now() - started;
    } catch {
      return undefined; // /proc entry gone
    }
  }
  return undefined;
}
