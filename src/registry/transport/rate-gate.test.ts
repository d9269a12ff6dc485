import t from 'tap';
import { createRateGate, type GateClock } from './rate-gate.js';

const never = () => new AbortController().signal;
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A clock moved by hand: `advance` fires the timers that are due, in order. */
function handClock(): GateClock & { advance(ms: number): void; timers(): number } {
  let now = 0;
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    after(ms, fn) {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => {
        timers = timers.filter((other) => other !== timer);
      };
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((timer) => timer !== due);
        now = due.at;
        due.fn();
      }
      now = end;
    },
    timers: () => timers.length,
  };
}

t.test('waiters of one host get tokens in order, at the rate, after the burst', async (t) => {
  const clock = handClock();
  const gate = createRateGate({ perSecond: 10, burst: 2 }, clock);
  const granted: number[] = [];
  const all = [0, 1, 2, 3, 4].map((i) => gate.acquire('reg.example', never()).then(() => granted.push(i)));
  await settle();
  t.same(granted, [0, 1], 'the burst at once');
  t.equal(gate.waiting(), 3);
  clock.advance(99);
  await settle();
  t.same(granted, [0, 1], 'not a millisecond early');
  clock.advance(1);
  await settle();
  t.same(granted, [0, 1, 2]);
  clock.advance(200);
  await Promise.all(all);
  t.same(granted, [0, 1, 2, 3, 4], 'first come, first served');
  t.equal(gate.waiting(), 0);
  t.equal(clock.timers(), 0, 'no timer left once nobody waits');
});

t.test('each host has a bucket of its own', async (t) => {
  const clock = handClock();
  const gate = createRateGate({ perSecond: 1, burst: 1 }, clock);
  await gate.acquire('a.example', never());
  await gate.acquire('b.example', never());
  const late = gate.acquire('a.example', never());
  await settle();
  t.equal(gate.waiting(), 1, 'a second request to a.example waits, b.example did not');
  clock.advance(1_000);
  await late;
  t.equal(gate.hosts(), 2);
});

t.test('an aborted waiter rejects at once with the reason and takes no token', async (t) => {
  const clock = handClock();
  const gate = createRateGate({ perSecond: 1, burst: 1 }, clock);
  await gate.acquire('reg.example', never());
  const controller = new AbortController();
  const gone = gate.acquire('reg.example', controller.signal);
  const next: string[] = [];
  const after = gate.acquire('reg.example', never()).then(() => next.push('after'));
  const reason = new Error('deadline');
  controller.abort(reason);
  await t.rejects(gone, reason);
  t.equal(gate.waiting(), 1);
  clock.advance(1_000);
  await after;
  t.same(next, ['after'], 'the token the aborted waiter would have had goes to the next one');
  await t.rejects(gate.acquire('reg.example', controller.signal), reason, 'an aborted signal never waits');
});

t.test('the last waiter aborting cancels the timer; the bucket keeps refilling', async (t) => {
  const clock = handClock();
  const gate = createRateGate({ perSecond: 2, burst: 1 }, clock);
  await gate.acquire('reg.example', never());
  const controller = new AbortController();
  const gone = gate.acquire('reg.example', controller.signal);
  await settle();
  t.equal(clock.timers(), 1);
  controller.abort(new Error('gone'));
  await t.rejects(gone);
  t.equal(clock.timers(), 0);
  clock.advance(500);
  let granted = false;
  await gate.acquire('reg.example', never()).then(() => (granted = true));
  t.ok(granted, 'a token is there 500 ms later without a timer');
});

t.test('idle full buckets are dropped once many hosts were seen; busy ones are kept', async (t) => {
  const clock = handClock();
  const gate = createRateGate({ perSecond: 1, burst: 1 }, clock);
  await gate.acquire('busy.example', never());
  const busy = [gate.acquire('busy.example', never()), gate.acquire('busy.example', never())];
  for (let i = 0; i < 300; i++) await gate.acquire(`host-${i}.example`, never());
  t.equal(gate.hosts(), 301, 'buckets that just gave a token are not full: none dropped');
  clock.advance(1_000);
  await busy[0];
  await gate.acquire('one-more.example', never());
  t.equal(gate.hosts(), 2, 'every idle full bucket went; the busy host and the new one stay');
  t.equal(gate.waiting(), 1);
  clock.advance(1_000);
  await busy[1];
  t.equal(gate.waiting(), 0);
});

t.test('the real clock waits real time', async (t) => {
  const gate = createRateGate({ perSecond: 20, burst: 1 });
  await gate.acquire('reg.example', never());
  const started = performance.now();
  await gate.acquire('reg.example', never());
  t.ok(performance.now() - started >= 45, 'about 50 ms for the second token');
});
