import t, { type Test } from 'tap';
import { microTime, runElection, type ElectionOptions, type LeasePort, type LeaseRecord } from './lease-election.js';

const START = Date.parse('2026-01-01T00:00:00Z');

function fakeClock() {
  let now = START;
  let seq = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    clock: {
      now: () => now,
      setTimeout: (callback: () => void, ms: number) => {
        timers.set(++seq, { at: now + ms, callback });
        return seq;
      },
      clearTimeout: (handle: unknown) => void timers.delete(handle as number),
    },
    /** Runs every timer due within `ms`, in order, letting the async work of each finish. */
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        await settle();
        const next = [...timers].filter(([, timer]) => timer.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (next === undefined) break;
        timers.delete(next[0]);
        now = next[1].at;
        next[1].callback();
      }
      now = end;
      await settle();
    },
    pending: () => timers.size,
  };
}

type Failure = { status: 'error'; kind: 'forbidden' | 'unavailable'; detail: string };

/** A Lease in memory with the API server's optimistic concurrency. */
class MemoryLease implements LeasePort {
  record: LeaseRecord | undefined;
  version = 0;
  failure: Failure | undefined;
  get = () =>
    Promise.resolve(
      this.failure ??
        (this.record === undefined
          ? ({ status: 'not-found' } as const)
          : ({ status: 'found', record: this.record, resourceVersion: String(this.version) } as const)),
    );
  create = (record: LeaseRecord) => Promise.resolve(this.failure ?? (this.record ? conflict : this.write(record)));
  update = (record: LeaseRecord, version: string) =>
    Promise.resolve(this.failure ?? (version !== String(this.version) ? conflict : this.write(record)));
  /** Someone else writes the Lease. */
  write(record: LeaseRecord) {
    this.record = record;
    return { status: 'ok', resourceVersion: String(++this.version) } as const;
  }
}
const conflict = { status: 'conflict' } as const;

function elector(t: Test, port: LeasePort, clock: ElectionOptions['clock'], identity = 'a') {
  const lines: string[] = [];
  const calls: string[] = [];
  const log = {
    info: (_: object, m: string) => lines.push(`info ${m}`),
    warn: (_: object, m: string) => lines.push(`warn ${m}`),
  };
  const e = runElection(port, {
    identity,
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    lease: 'pg/audit',
    clock,
    log,
    onStartedLeading: () => calls.push('started'),
    onStoppedLeading: () => calls.push('stopped'),
  });
  t.teardown(() => e.stop());
  return { e, lines, calls };
}

const other = (renewTime: string): LeaseRecord => ({
  holderIdentity: 'other',
  leaseDurationSeconds: 15,
  acquireTime: renewTime,
  renewTime,
  leaseTransitions: 3,
});

t.test('an absent Lease is created and then renewed every retry period', async (t) => {
  const c = fakeClock();
  const lease = new MemoryLease();
  const { e, calls } = elector(t, lease, c.clock);
  await c.advance(0);
  t.ok(e.isLeader());
  t.same(calls, ['started']);
  t.match(lease.record, {
    holderIdentity: 'a',
    leaseDurationSeconds: 15,
    leaseTransitions: 0,
    renewTime: microTime(START),
  });
  await c.advance(2_000);
  t.equal(lease.record?.renewTime, '2026-01-01T00:00:02.000000Z');
  t.equal(lease.record?.acquireTime, '2026-01-01T00:00:00.000000Z', 'a renew keeps the acquire time');
  t.same(calls, ['started'], 'renewing does not start leading again');
});

t.test('two electors on one Lease: exactly one leads, all along', async (t) => {
  const c = fakeClock();
  const lease = new MemoryLease();
  const a = elector(t, lease, c.clock, 'a');
  const b = elector(t, lease, c.clock, 'b');
  for (let i = 0; i < 20; i++) {
    await c.advance(1_000);
    t.equal([a.e.isLeader(), b.e.isLeader()].filter(Boolean).length, 1, `one leader at ${i + 1} s`);
  }
  t.same(b.calls, [], 'the second never led');
});

t.test(
  'a Lease held by another expires after its duration on the local clock, whatever its renewTime says',
  async (t) => {
    const c = fakeClock();
    const lease = new MemoryLease();
    lease.write(other('2020-01-01T00:00:00.000000Z'));
    const { e, calls } = elector(t, lease, c.clock);
    await c.advance(14_000);
    t.notOk(e.isLeader(), 'still within 15 s of first seeing the record');
    await c.advance(2_000);
    t.ok(e.isLeader());
    t.same(calls, ['started']);
    t.match(lease.record, { holderIdentity: 'a', leaseTransitions: 4, acquireTime: '2026-01-01T00:00:16.000000Z' });
  },
);

t.test('a renewed Lease of another holder is never taken', async (t) => {
  const c = fakeClock();
  const lease = new MemoryLease();
  const { e } = elector(t, lease, c.clock);
  lease.write(other('2026-01-01T00:00:00.000000Z'));
  for (let s = 1; s <= 40; s++) {
    await c.advance(1_000);
    if (s % 10 === 0) lease.write(other(microTime(START + s * 1000)));
  }
  t.notOk(e.isLeader());
  t.equal(lease.record?.holderIdentity, 'other');
});

t.test('renews that keep failing end leadership after the renew deadline, with one log line', async (t) => {
  const c = fakeClock();
  const lease = new MemoryLease();
  const { e, calls, lines } = elector(t, lease, c.clock);
  await c.advance(0);
  lease.failure = { status: 'error', kind: 'unavailable', detail: 'connection failed (ECONNREFUSED)' };
  await c.advance(8_000);
  t.ok(e.isLeader(), 'within the renew deadline');
  await c.advance(2_000);
  t.notOk(e.isLeader());
  t.same(calls, ['started', 'stopped']);
  t.equal(lines.filter((l) => l.includes('could not be read or written')).length, 1);
  lease.failure = undefined;
  await c.advance(2_000);
  t.ok(e.isLeader(), 'leads again once the API answers (the Lease is still ours)');
});

t.test('403 on the Lease: follower, one line naming the RBAC', async (t) => {
  const c = fakeClock();
  const lease = new MemoryLease();
  lease.failure = { status: 'error', kind: 'forbidden', detail: 'HTTP 403' };
  const { e, calls, lines } = elector(t, lease, c.clock);
  await c.advance(60_000);
  t.notOk(e.isLeader());
  t.same(calls, []);
  t.same(lines, [
    'warn leader election: no access to the Lease (RBAC: get, create, update on coordination.k8s.io leases); staying follower',
  ]);
});

t.test('another holder written into a Lease we lead stops leadership at the next try', async (t) => {
  const c = fakeClock();
  const lease = new MemoryLease();
  const { e, calls } = elector(t, lease, c.clock);
  await c.advance(0);
  lease.write(other(microTime(START)));
  await c.advance(2_000);
  t.notOk(e.isLeader());
  t.same(calls, ['started', 'stopped']);
});

t.test('stop releases the Lease (no holder, 1 s) and ends the loop', async (t) => {
  const c = fakeClock();
  const lease = new MemoryLease();
  const { e, calls } = elector(t, lease, c.clock);
  await c.advance(4_000);
  await e.stop();
  await e.stop();
  t.notOk(e.isLeader());
  t.same(calls, ['started', 'stopped']);
  t.match(lease.record, { holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 0 });
  t.equal(c.pending(), 0, 'no timer left');
  const follower = elector(t, lease, c.clock, 'b');
  await c.advance(0);
  t.ok(follower.e.isLeader(), 'a released Lease is taken at once');
  t.equal(lease.record?.leaseTransitions, 1);
});

t.test('a follower stopping writes nothing', async (t) => {
  const c = fakeClock();
  const lease = new MemoryLease();
  lease.write(other(microTime(START)));
  const { e, calls } = elector(t, lease, c.clock);
  await c.advance(2_000);
  const version = lease.version;
  await e.stop();
  t.equal(lease.version, version);
  t.same(calls, []);
});

t.test('stop during the write that takes the Lease still releases it, without leading', async (t) => {
  const c = fakeClock();
  const lease = new MemoryLease();
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const create = lease.create;
  lease.create = async (record) => {
    await gate;
    return create(record);
  };
  const { e, calls } = elector(t, lease, c.clock);
  await c.advance(0);
  const stopping = e.stop();
  open();
  await stopping;
  t.match(lease.record, { holderIdentity: '', leaseDurationSeconds: 1 });
  t.same(calls, [], 'never started leading');
  t.notOk(e.isLeader());
});
