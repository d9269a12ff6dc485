import t from 'tap';
import { BUILT_IN_WORKLOADS } from '../workload/workload-catalog.js';
import type { AuditCheckPort } from './audit-check-port.js';
import { startAuditLoop, type AuditLoopClock, type AuditSink } from './audit-loop.js';
import type { AuditActions, AuditOutcome, CheckResult } from './audit-state.js';
import { buildInventory, type AuditCheck, type WorkloadObject } from './inventory.js';
import { slotOffset } from './schedule.js';

const INTERVAL = 10_000;

/** A clock whose time moves only when the test says; timers fire in order as it passes them. */
function manualClock(start = 1_000_000): AuditLoopClock & { advance(ms: number): Promise<void>; pending(): number } {
  let now = start;
  let id = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  return {
    now: () => now,
    setTimeout(callback, ms) {
      timers.set(++id, { at: now + ms, callback });
      return id;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = [...timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (next === undefined) break;
        timers.delete(next[0]);
        now = next[1].at;
        next[1].callback();
        await settle();
      }
      now = end;
      await settle();
    },
    pending: () => timers.size,
  };
}

const deployment = (name: string, image: string): WorkloadObject => ({
  group: 'apps',
  kind: 'Deployment',
  object: {
    metadata: { name, namespace: 'shop' },
    spec: { replicas: 0, template: { spec: { containers: [{ name: 'app', image }] } } },
  },
});

const checksOf = (...objects: WorkloadObject[]): readonly AuditCheck[] =>
  buildInventory(BUILT_IN_WORKLOADS, objects).checks;

interface Recorded {
  readonly actions: AuditActions[];
  readonly outcomes: Readonly<Record<AuditOutcome, number>>[];
  readonly passes: number[];
}

/** A sink that keeps what it got (the object literal's arrays are shared with the methods' closures). */
function sinkRecorder(): { sink: AuditSink; got: Recorded } {
  const got: Recorded = { actions: [], outcomes: [], passes: [] };
  return {
    got,
    sink: {
      actions: (a) => void got.actions.push(a),
      outcomes: (o) => void got.outcomes.push(o),
      passComplete: (at) => void got.passes.push(at),
    },
  };
}

t.test('each check runs once per interval, at its slot; a failure is reported once', async (t) => {
  const clock = manualClock();
  let checks = checksOf(deployment('web', 'r.example/web:1.4'), deployment('api', 'r.example/api:2'));
  const runs: string[] = [];
  const results = new Map<string, CheckResult>([
    ['r.example/web:1.4', { outcome: 'unavailable', class: 'notFound', message: 'tag 1.4 does not exist' }],
    ['r.example/api:2', { outcome: 'available' }],
  ]);
  const port: AuditCheckPort = async (check) => {
    runs.push(check.image);
    return results.get(check.image) ?? { outcome: 'error' };
  };
  const { sink, got } = sinkRecorder();
  const loop = startAuditLoop({ intervalMs: INTERVAL, concurrency: 2, check: port, checks: () => checks, sink, clock });
  await clock.advance(INTERVAL);
  t.same(runs.slice().sort(), ['r.example/api:2', 'r.example/web:1.4'], 'both checked within one interval');
  const events = got.actions.flatMap((a) => a.events);
  t.equal(events.length, 1, 'one Event');
  t.equal(events[0]?.workload.name, 'web');
  t.same(
    got.actions.flatMap((a) => a.set).map((s) => [s.name, s.class]),
    [['web', 'notFound']],
  );
  await clock.advance(INTERVAL * 2);
  t.equal(runs.length, 6, 'each again once per interval');
  t.equal(got.actions.flatMap((a) => a.events).length, 1, 'the same failure is not re-emitted');
  t.ok(got.passes.length >= 2, 'passes complete');
  t.match(got.outcomes.at(-1), { available: 1, unavailable: 1, error: 0, pending: 0 });

  // The tag comes back: the series goes.
  results.set('r.example/web:1.4', { outcome: 'available' });
  await clock.advance(INTERVAL);
  t.same(
    got.actions.flatMap((a) => a.remove).map((s) => s.name),
    ['web'],
  );
  // The workload is deleted: nothing is checked for it any more.
  checks = checksOf(deployment('api', 'r.example/api:2'));
  const before = runs.length;
  await clock.advance(INTERVAL);
  t.same(runs.slice(before), ['r.example/api:2']);
  await loop.stop();
  t.equal(clock.pending(), 0, 'no timer left');
});

t.test('checks are spread over the interval, not run at once', async (t) => {
  const clock = manualClock(0);
  const objects = Array.from({ length: 40 }, (_, i) => deployment(`w${i}`, `r.example/w:${i}`));
  const checks = checksOf(...objects);
  const at: number[] = [];
  const { sink } = sinkRecorder();
  const loop = startAuditLoop({
    intervalMs: INTERVAL,
    concurrency: 4,
    check: async () => {
      at.push(clock.now());
      return { outcome: 'available' };
    },
    checks: () => checks,
    sink,
    clock,
  });
  await clock.advance(INTERVAL);
  t.equal(at.length, 40);
  const firstHalf = at.filter((ms) => ms < INTERVAL / 2).length;
  t.ok(firstHalf > 5 && firstHalf < 35, `spread: ${firstHalf} of 40 in the first half`);
  for (const check of checks) {
    const offset = slotOffset(check.key, INTERVAL);
    t.ok(
      at.some((ms) => ms >= offset && ms <= offset + 600),
      `a check ran at its slot ${offset}`,
    );
  }
  await loop.stop();
});

t.test('at most `concurrency` checks in flight; stop aborts them and waits', async (t) => {
  const clock = manualClock(0);
  const checks = checksOf(...Array.from({ length: 30 }, (_, i) => deployment(`w${i}`, `r.example/w:${i}`)));
  let inFlight = 0;
  let most = 0;
  let aborted = 0;
  const { sink, got } = sinkRecorder();
  const loop = startAuditLoop({
    intervalMs: 1_000,
    concurrency: 3,
    check: (_check, signal) =>
      new Promise<CheckResult>((resolve) => {
        inFlight++;
        most = Math.max(most, inFlight);
        signal.addEventListener('abort', () => {
          aborted++;
          inFlight--;
          resolve({ outcome: 'error' });
        });
      }),
    checks: () => checks,
    sink,
    clock,
  });
  await clock.advance(2_000);
  t.equal(most, 3, 'never more than 3 at once');
  t.equal(got.passes.length, 0, 'a pass with checks still waiting is not complete');
  await loop.stop();
  t.equal(aborted, 3, 'the checks in flight were aborted');
  t.equal(inFlight, 0);
});

t.test('a port that throws is an error result, and the loop goes on', async (t) => {
  const clock = manualClock(0);
  const checks = checksOf(deployment('web', 'r.example/web:1'));
  let calls = 0;
  const { sink, got } = sinkRecorder();
  const loop = startAuditLoop({
    intervalMs: 1_000,
    concurrency: 1,
    check: async () => {
      calls++;
      throw new Error('bug');
    },
    checks: () => checks,
    sink,
    clock,
  });
  await clock.advance(3_000);
  t.ok(calls >= 2, 'checked again after the throw');
  t.equal(got.outcomes.at(-1)?.error, 1);
  await loop.stop();
});

t.test('clearedActions removes every series the loop set', async (t) => {
  const clock = manualClock(0);
  const checks = checksOf(deployment('web', 'r.example/web:1'), deployment('api', 'r.example/api:1'));
  const { sink } = sinkRecorder();
  const loop = startAuditLoop({
    intervalMs: 1_000,
    concurrency: 2,
    check: async () => ({ outcome: 'unavailable', class: 'unauthorized', message: 'denied' }),
    checks: () => checks,
    sink,
    clock,
  });
  await clock.advance(1_000);
  await loop.stop();
  t.same(
    loop
      .clearedActions()
      .remove.map((s) => s.name)
      .sort(),
    ['api', 'web'],
  );
});
