import { mock } from 'node:test';
import t from 'tap';
import { linkedDeadline } from './linked-deadline.js';

t.test('aborts with a TimeoutError when its own time runs out', async (t) => {
  const keepAlive = setTimeout(() => {}, 1000); // the deadline's timer is unref'd: it never holds a process open
  t.teardown(() => clearTimeout(keepAlive));
  const deadline = linkedDeadline(undefined, 20, 'too slow');
  await new Promise((resolve) => deadline.signal.addEventListener('abort', resolve, { once: true }));
  t.equal(deadline.timedOut(), true);
  t.equal((deadline.signal.reason as DOMException).name, 'TimeoutError');
  t.equal((deadline.signal.reason as DOMException).message, 'too slow');
});

t.test('follows its parent, and says the parent did it', async (t) => {
  const parent = new AbortController();
  const deadline = linkedDeadline(parent.signal, 10_000);
  parent.abort(new Error('review over'));
  t.equal(deadline.signal.aborted, true);
  t.equal(deadline.timedOut(), false);
  t.equal((deadline.signal.reason as Error).message, 'review over');
  deadline.release();
});

t.test('an already aborted parent aborts it at once', async (t) => {
  const deadline = linkedDeadline(AbortSignal.abort('gone'), 10_000);
  t.equal(deadline.signal.aborted, true);
  deadline.release();
});

t.test('release() detaches: neither the parent nor the timer aborts it afterwards', async (t) => {
  // A clock the test drives (node:test's mock timers), so "the timer would have fired by now" is a fact, not a sleep.
  mock.timers.enable({ apis: ['setTimeout'] });
  t.teardown(() => mock.timers.reset());
  const parent = new AbortController();
  const deadline = linkedDeadline(parent.signal, 20);
  deadline.release();
  parent.abort();
  mock.timers.tick(40);
  t.equal(deadline.signal.aborted, false);
  t.equal(deadline.timedOut(), false);
});
