/**
 * HTTPS load loops over an undici Pool (keep-alive, N connections, pipelining 1), the way the API server calls a
 * webhook: an open loop (fixed arrival rate) for latency at a given load (P6). P1's closed loop is wrk (wrk.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { describeAnswer, isCleanAllow, VALIDATE_PATH } from './admission-review.js';

export interface LoadTarget {
  /** `https://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly caPem: string;
  /** e.g. `/validate?timeout=10s`. */
  readonly path: string;
  readonly body: string;
  /** Checks one response body; a false answer counts as an error. */
  readonly accept: (statusCode: number, body: string) => boolean;
}

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly elapsedMs: number;
  readonly requestsPerSecond: number;
  /** Latency of every successful request, ms. */
  readonly latenciesMs: readonly number[];
}

/** A keep-alive pool to the target; close it when done. */
export function openPool(target: Pick<LoadTarget, 'origin' | 'caPem'>, connections: number): Pool {
  return new Pool(target.origin, {
    connections,
    pipelining: 1,
    connect: { ca: target.caPem },
    keepAliveTimeout: 60_000,
  });
}

/** One POST of the target body; resolves to [ok, latencyMs]. */
async function send(pool: Pool, target: LoadTarget, startedAt = performance.now()): Promise<[boolean, number]> {
  try {
    const response = await pool.request({
      path: target.path,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: target.body,
    });
    const text = await response.body.text();
    return [target.accept(response.statusCode, text), performance.now() - startedAt];
  } catch {
    return [false, performance.now() - startedAt];
  }
}

export interface OpenLoopResult extends LoadResult {
  /**
   * How far the generator itself fell behind its schedule at worst (its event loop busy or in GC): latency it adds
   * on its own, which would otherwise be blamed on the server.
   */
  readonly maxSendLagMs: number;
}

/**
 * Requests arrive at `ratePerSecond` regardless of how fast answers come (no coordinated omission: latency is
 * measured from each request's scheduled start, so a stall shows up in the tail). Nothing is kept per request but
 * its latency, so the generator's heap does not grow with the run.
 */
export async function openLoop(
  pool: Pool,
  target: LoadTarget,
  options: { ratePerSecond: number; durationMs: number },
): Promise<OpenLoopResult> {
  const latencies: number[] = [];
  let errors = 0;
  let inFlight = 0;
  let allAnswered = (): void => {};
  const started = performance.now();
  const intervalMs = 1000 / options.ratePerSecond;
  let sent = 0;
  let maxSendLagMs = 0;
  while (true) {
    const now = performance.now();
    if (now - started >= options.durationMs) break;
    const due = Math.floor((now - started) / intervalMs) + 1;
    if (sent < due) maxSendLagMs = Math.max(maxSendLagMs, now - (started + sent * intervalMs));
    for (; sent < due; sent += 1) {
      inFlight += 1;
      void send(pool, target, started + sent * intervalMs).then(([ok, ms]) => {
        if (ok) latencies.push(ms);
        else errors += 1;
        inFlight -= 1;
        if (inFlight === 0) allAnswered();
      });
    }
    await sleep(Math.max(0, Math.min(5, started + sent * intervalMs - performance.now())));
  }
  if (inFlight > 0) await new Promise<void>((resolve) => (allAnswered = resolve));
  const elapsedMs = performance.now() - started;
  return {
    requests: sent,
    errors,
    elapsedMs,
    requestsPerSecond: (latencies.length * 1000) / elapsedMs,
    latenciesMs: latencies,
    maxSendLagMs,
  };
}

/** The p-th percentile (0..100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Median of a list; NaN for none. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/**
 * One review on `pool`, which must be a clean allow (anything else throws, naming `what`); resolves to its latency
 * in ms.
 */
export async function cleanAllowMs(pool: Pool, body: string, what: string): Promise<number> {
  const started = performance.now();
  const response = await pool.request({
    path: VALIDATE_PATH,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await response.body.text();
  const ms = performance.now() - started;
  if (!isCleanAllow(response.statusCode, text))
    throw new Error(`${what} was not a clean allow: ${describeAnswer(response.statusCode, text)}`);
  return ms;
}
