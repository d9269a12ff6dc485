import t from 'tap';
import { dueBetween, nextDue, slotOffset } from './schedule.js';

const MINUTE = 60_000;
const INTERVAL = 10 * MINUTE;
const keys = Array.from({ length: 1000 }, (_, i) => `registry.example.com/team/app-${i}:1.${i}`);

t.test('each key has a stable offset inside the interval', async (t) => {
  for (const key of keys.slice(0, 50)) {
    const offset = slotOffset(key, INTERVAL);
    t.ok(offset >= 0 && offset < INTERVAL, `${key} in range`);
    t.equal(slotOffset(key, INTERVAL), offset, 'the same on a second call');
  }
  t.not(slotOffset('a', INTERVAL), slotOffset('b', INTERVAL), 'different keys, different slots');
});

t.test('the checks are spread over the interval, not bunched', async (t) => {
  const buckets = new Array<number>(10).fill(0);
  for (const key of keys) buckets[Math.floor(slotOffset(key, INTERVAL) / MINUTE)]! += 1;
  for (const [minute, count] of buckets.entries()) t.ok(count > 60 && count < 140, `minute ${minute}: ${count} checks`);
});

t.test('every check is due exactly once per interval, whatever the steps between ticks', async (t) => {
  const start = Date.UTC(2026, 11, 3, 12, 0, 7);
  const counts = new Map<string, number>();
  let from = start;
  for (const step of [1, 999, 30_000, 17, 90_000, 240_000, 238_983]) {
    for (const key of dueBetween(keys, INTERVAL, from, from + step)) counts.set(key, (counts.get(key) ?? 0) + 1);
    from += step;
  }
  t.equal(from - start, INTERVAL);
  t.equal(counts.size, keys.length);
  t.ok([...counts.values()].every((count) => count === 1));
});

t.test('a new check does not move the others', async (t) => {
  const from = Date.UTC(2026, 11, 3, 12, 0, 0);
  const before = dueBetween(keys, INTERVAL, from, from + 2 * MINUTE);
  const after = dueBetween([...keys, 'docker.io/library/new:1'], INTERVAL, from, from + 2 * MINUTE);
  t.same(
    after.filter((key) => key !== 'docker.io/library/new:1'),
    before,
  );
  t.ok(before.length > 100 && before.length < 300, `about a fifth is due: ${before.length}`);
});

t.test('due in order of their slots; a span longer than the interval runs each once', async (t) => {
  const from = 5 * INTERVAL + 123;
  const due = dueBetween(keys.slice(0, 20), INTERVAL, from, from + INTERVAL);
  const times = due.map((key) => nextDue(key, INTERVAL, from));
  t.same(
    times,
    [...times].sort((a, b) => a - b),
  );
  t.equal(due.length, 20);
  t.equal(dueBetween(keys.slice(0, 20), INTERVAL, from, from + 7 * INTERVAL).length, 20);
});

t.test('nextDue: strictly after, at the key offset, one interval apart', async (t) => {
  const key = keys[3]!;
  const offset = slotOffset(key, INTERVAL);
  t.equal(nextDue(key, INTERVAL, 0), offset === 0 ? INTERVAL : offset);
  const at = nextDue(key, INTERVAL, 42 * INTERVAL);
  t.equal(at % INTERVAL, offset);
  t.equal(nextDue(key, INTERVAL, at), at + INTERVAL, 'the due time itself is not due again');
  t.equal(nextDue(key, INTERVAL, at - 1), at);
});

t.test('nothing is due for an empty or backwards span or a bad interval', async (t) => {
  t.same(dueBetween(keys, INTERVAL, 1000, 1000), []);
  t.same(dueBetween(keys, INTERVAL, 2000, 1000), []);
  t.same(dueBetween(keys, 0, 0, INTERVAL), []);
  t.same(dueBetween(keys, -5, 0, INTERVAL), []);
  t.same(dueBetween(keys, Number.NaN, 0, INTERVAL), []);
  t.same(dueBetween(keys, Number.POSITIVE_INFINITY, 0, INTERVAL), []);
});
