/**
 * The continuous audit's loop, while this replica leads: every distinct check is run once per interval at its own
 * slot (schedule.ts), at most `concurrency` at once, and each result goes through the {@link AuditState} to the sink
 * as Events to emit and gauge series to set or remove. A pass is complete when an interval has gone by since the last
 * one and every check that fell due meanwhile has answered: then `passComplete` (the last-run timestamp). The loop
 * owns no I/O: time, the checks and the sink are ports, so the whole loop runs on a test's clock. Never throws.
 */
import type { AuditCheckPort } from './audit-check-port.js';
import { AuditState, type AuditActions, type AuditOutcome, type CheckResult } from './audit-state.js';
import type { AuditCheck } from './inventory.js';
import { dueBetween } from './schedule.js';

export interface AuditLoopClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Where the loop's results go: the Event recorder and the metrics, in serve. */
export interface AuditSink {
  actions(actions: AuditActions): void;
  outcomes(counts: Readonly<Record<AuditOutcome, number>>): void;
  /** A full pass over the checks has finished, at `atMs`. */
  passComplete(atMs: number): void;
}

export interface AuditLoopOptions {
  readonly intervalMs: number;
  readonly concurrency: number;
  readonly check: AuditCheckPort;
  /** The current checks; a new array when the inventory changed (the loop compares by identity). */
  readonly checks: () => readonly AuditCheck[];
  readonly sink: AuditSink;
  readonly clock: AuditLoopClock;
  /** How often due checks are looked for; default: a twentieth of the interval, between 50 ms and 1 s. */
  readonly tickMs?: number;
}

export interface AuditLoop {
  /** Stops scheduling, aborts the checks in flight and waits for them; the state is dropped. */
  stop(): Promise<void>;
  /** Removes every series this loop set (when leadership is lost, another replica takes over the gauge). */
  readonly clearedActions: () => AuditActions;
}

export function startAuditLoop(options: AuditLoopOptions): AuditLoop {
  const { clock, sink, intervalMs } = options;
  const tickMs = options.tickMs ?? Math.min(1_000, Math.max(50, Math.floor(intervalMs / 20)));
  const state = new AuditState();
  const controller = new AbortController();
  const queue: string[] = [];
  const queued = new Set<string>();
  const inFlight = new Map<string, Promise<void>>();
  let current: readonly AuditCheck[] = [];
  let byKey = new Map<string, AuditCheck>();
  let stopped = false;
  let timer: unknown;
  let lastTick = clock.now();
  let passStart = lastTick;
  let passEnded = false;

  const report = (actions: AuditActions): void => {
    if (actions.events.length + actions.set.length + actions.remove.length + actions.overflow > 0)
      sink.actions(actions);
  };

  const refresh = (): void => {
    const checks = options.checks();
    if (checks === current) return;
    current = checks;
    byKey = new Map(checks.map((check) => [check.key, check]));
    report(state.prune(checks));
  };

  const run = (key: string): void => {
    const check = byKey.get(key);
    if (check === undefined) return;
    const work = safeCheck(options.check, check, controller.signal).then((result) => {
      inFlight.delete(key);
      if (stopped) return;
      // The inventory may have changed meanwhile: the result is for the check as it is now, if it still exists.
      const now = byKey.get(key);
      if (now !== undefined) report(state.record(now, result));
      pump();
    });
    inFlight.set(key, work);
  };

  const pump = (): void => {
    while (!stopped && inFlight.size < options.concurrency && queue.length > 0) {
      const key = queue.shift() as string;
      queued.delete(key);
      run(key);
    }
    if (passEnded && queue.length === 0 && inFlight.size === 0) {
      passEnded = false;
      sink.passComplete(clock.now());
    }
  };

  const tick = (): void => {
    if (stopped) return;
    const now = clock.now();
    refresh();
    for (const key of dueBetween(byKey.keys(), intervalMs, lastTick, now)) {
      if (queued.has(key) || inFlight.has(key)) continue;
      queued.add(key);
      queue.push(key);
    }
    lastTick = now;
    if (now - passStart >= intervalMs) {
      passStart = now;
      passEnded = true;
    }
    pump();
    // Once per tick, not per result: counting goes over every check.
    sink.outcomes(state.outcomes(current));
    timer = clock.setTimeout(tick, tickMs);
  };

  refresh();
  timer = clock.setTimeout(tick, tickMs);

  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      clock.clearTimeout(timer);
      controller.abort(new Error('the audit stopped'));
      queue.length = 0;
      queued.clear();
      await Promise.all(inFlight.values());
    },
    clearedActions: () => state.prune([]),
  };
}

/** A port that throws (a bug) is a check that could not run, never the loop's end. */
async function safeCheck(port: AuditCheckPort, check: AuditCheck, signal: AbortSignal): Promise<CheckResult> {
  try {
    return await port(check, signal);
  } catch {
    return { outcome: 'error' };
  }
}
