import t from 'tap';
import { createBodySlots } from './body-slots.js';

const never = () => new AbortController().signal;

t.test('turns are handed out up to the size, then in order as they are given back', async (t) => {
  const slots = createBodySlots(2);
  const first = await slots.acquire(never());
  const second = await slots.acquire(never());
  t.equal(slots.inUse(), 2);
  const order: string[] = [];
  const third = slots.acquire(never()).then((give) => (order.push('third'), give));
  const fourth = slots.acquire(never()).then((give) => (order.push('fourth'), give));
  await new Promise((resolve) => setImmediate(resolve));
  t.same(order, [], 'nobody gets a third turn while two are taken');
  first();
  first();
  const giveThird = await third;
  t.same(order, ['third'], 'giving a turn back twice frees it once');
  t.equal(slots.inUse(), 2);
  second();
  (await fourth)();
  giveThird();
  t.equal(slots.inUse(), 0);
});

t.test('a waiter whose signal aborts leaves the queue and rejects with the reason', async (t) => {
  const slots = createBodySlots(1);
  const give = await slots.acquire(never());
  const controller = new AbortController();
  const waiting = slots.acquire(controller.signal);
  const reason = new Error('deadline');
  controller.abort(reason);
  await t.rejects(waiting, reason);
  give();
  t.equal(slots.inUse(), 0, 'the turn goes back to the pool, not to the gone waiter');
  await t.rejects(slots.acquire(controller.signal), reason, 'an aborted signal never gets a turn');
  t.equal(slots.inUse(), 0);
});
