import t from 'tap';
import { createMemoryBudget } from './memory-budget.js';

const never = new AbortController().signal;

t.test('leases what fits at once; release and shrink give weight back', async (t) => {
  const budget = createMemoryBudget(100);
  const a = budget.tryAcquire(60);
  t.ok(a);
  t.equal(budget.tryAcquire(50), undefined, 'does not fit');
  t.equal(budget.inUse(), 60);
  a?.shrink(20);
  t.equal(budget.inUse(), 20);
  a?.shrink(50);
  t.equal(a?.weight, 20, 'shrink never raises');
  const b = budget.tryAcquire(80);
  t.ok(b, 'fits after the shrink');
  a?.release();
  a?.release();
  t.equal(budget.inUse(), 80, 'release is idempotent');
  b?.release();
  t.equal(budget.inUse(), 0);
});

t.test('a waiter gets its lease when room is made; small ones pass a large one that waits', async (t) => {
  const budget = createMemoryBudget(100);
  const held = budget.tryAcquire(95);
  const order: string[] = [];
  const large = budget.acquire(60, never).then((lease) => (order.push('large'), lease));
  const small = budget.acquire(10, never).then((lease) => (order.push('small'), lease));
  await new Promise((resolve) => setImmediate(resolve));
  t.same(order, [], 'nothing fits yet');
  held?.shrink(80);
  const smallLease = await small;
  t.same(order, ['small'], 'the small one fits first');
  held?.release();
  const largeLease = await large;
  t.same(order, ['small', 'large']);
  t.equal(budget.inUse(), 70);
  smallLease?.release();
  largeLease?.release();
});

t.test('gives up on abort, and at once when the weight can never fit', async (t) => {
  const budget = createMemoryBudget(100);
  const held = budget.tryAcquire(100);
  const controller = new AbortController();
  const waiting = budget.acquire(50, controller.signal);
  controller.abort();
  t.equal(await waiting, undefined);
  held?.release();
  t.equal(budget.inUse(), 0, 'the aborted waiter took nothing');
  t.equal(await budget.acquire(101, never), undefined, 'more than the capacity');
  t.equal(budget.inUse(), 0);
});
