import t from 'tap';
import { DEFAULT_CONFIG } from '../config/load-config.js';
import type { Resolution } from '../resolution/resolution.js';
import { runFair } from './fair-schedule.js';
import { createReviewer } from './review-object.js';

/** A task per item that stays running until released, recording start order and concurrency. */
function gate() {
  const started: string[] = [];
  const release = new Map<string, () => void>();
  const running = new Map<string, number>();
  let peakTotal = 0;
  const peakPerKey = new Map<string, number>();
  const task = (item: string) =>
    new Promise<void>((resolve) => {
      started.push(item);
      const key = item.split('/')[0] as string;
      running.set(key, (running.get(key) ?? 0) + 1);
      peakPerKey.set(key, Math.max(peakPerKey.get(key) ?? 0, running.get(key) as number));
      peakTotal = Math.max(
        peakTotal,
        [...running.values()].reduce((a, b) => a + b, 0),
      );
      release.set(item, () => {
        running.set(key, (running.get(key) as number) - 1);
        resolve();
      });
    });
  return { started, release, task, peaks: () => ({ total: peakTotal, perKey: Object.fromEntries(peakPerKey) }) };
}

const keyOf = (item: string) => item.split('/')[0] as string;
const tick = () => new Promise((resolve) => setImmediate(resolve));

t.test("every key's first item starts at once, however many items an earlier key has", async (t) => {
  const g = gate();
  const items = [...Array.from({ length: 20 }, (_, i) => `slow/${i}`), 'fast/0', 'other/0'];
  const done = runFair(items, keyOf, { total: 16, perKey: 16 }, g.task);
  await tick();
  t.same(g.started.slice(0, 3), ['slow/0', 'fast/0', 'other/0'], 'round-robin over the keys');
  t.equal(g.started.length, 16, 'up to the total');
  g.release.get('fast/0')?.();
  g.release.get('other/0')?.();
  await tick();
  t.equal(g.started.length, 18, 'freed slots go to the queued items');
  for (const item of items) g.release.get(item)?.();
  await tick();
  for (const item of items) g.release.get(item)?.();
  await done;
  t.same(new Set(g.started), new Set(items), 'every item ran once');
  t.equal(g.started.length, items.length);
});

t.test('in flight stays within the per-key and total limits', async (t) => {
  const g = gate();
  const items = ['a', 'b', 'c'].flatMap((key) => Array.from({ length: 10 }, (_, i) => `${key}/${i}`));
  const done = runFair(items, keyOf, { total: 8, perKey: 3 }, g.task);
  for (let round = 0; round < 40 && g.started.length < items.length; round++) {
    await tick();
    const first = g.started.find((item) => g.release.has(item));
    if (first) {
      g.release.get(first)?.();
      g.release.delete(first);
    }
  }
  for (const release of g.release.values()) release();
  await done;
  t.same(g.peaks(), { total: 8, perKey: { a: 3, b: 3, c: 3 } }, 'at most 3 per key and 8 in all');
  t.equal(g.started.length, items.length);
});

t.test('no items, a rejecting task and a throwing task still finish', async (t) => {
  await runFair([], keyOf, { total: 4, perKey: 2 }, async () => {});
  const ran: string[] = [];
  await runFair(['a/1', 'a/2', 'a/3'], keyOf, { total: 1, perKey: 1 }, (item) => {
    ran.push(item);
    if (item === 'a/1') throw new Error('sync');
    return item === 'a/2' ? Promise.reject(new Error('async')) : Promise.resolve();
  });
  t.same(ran, ['a/1', 'a/2', 'a/3'], 'a failure frees its slot');
});

t.test('a review: 20 images on a hanging registry listed first never starve a missing image on another', async (t) => {
  const keepAlive = setTimeout(() => {}, 5000);
  t.teardown(() => clearTimeout(keepAlive));
  const reviewer = createReviewer({
    config: DEFAULT_CONFIG,
    resolver: {
      resolve: ({ reference }) =>
        reference.domain === 'hang.example.com'
          ? new Promise<Resolution>(() => {})
          : new Promise<Resolution>((resolve) =>
              setTimeout(() => resolve({ outcome: 'not-found', missing: 'tag' }), 20),
            ),
    },
  });
  const images = [
    ...Array.from({ length: 24 }, (_, i) => `hang.example.com/team/app-${i}:1.0`),
    'registry.example.com/team/missing:1.0',
  ];
  const object = {
    metadata: { name: 'web' },
    spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) },
  };
  const outcome = await reviewer.review({
    kind: { group: '', version: 'v1', kind: 'Pod' },
    operation: 'CREATE',
    namespace: 'shop',
    object,
    signal: AbortSignal.timeout(300),
  });
  if (outcome.status !== 'reviewed') throw new Error(outcome.status);
  t.equal(outcome.decision.verdict, 'deny', 'the missing image is denied within the budget');
  const last = outcome.decision.findings.at(-1);
  t.same([last?.canonical, last?.class], ['registry.example.com/team/missing:1.0', 'notFound']);
  t.equal(outcome.decision.findings.filter((f) => f.class === 'timeout').length, 24, 'the hanging images time out');
});
