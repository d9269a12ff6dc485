import t from 'tap';
import { createTokenBucket, rateOfPerSecond, rateProblem, stricterRate } from './token-bucket.js';

t.test('a new bucket lets a burst through at once, then one token per 1/perSecond', async (t) => {
  const bucket = createTokenBucket({ perSecond: 4, burst: 3 }, 1_000);
  t.same([bucket.take(1_000), bucket.take(1_000), bucket.take(1_000)], [0, 0, 0], 'the burst');
  t.equal(bucket.take(1_000), 250, 'the fourth waits a quarter second');
  t.equal(bucket.take(1_100), 150, 'asking again does not take a token: the wait shrinks with time');
  t.equal(bucket.take(1_250), 0, 'one token after 250 ms');
  t.equal(bucket.take(1_250), 250);
});

t.test('a quiet spell refills the bucket up to the burst, never beyond', async (t) => {
  const bucket = createTokenBucket({ perSecond: 10, burst: 2 }, 0);
  bucket.take(0);
  bucket.take(0);
  t.notOk(bucket.full(50));
  t.ok(bucket.full(60_000), 'full after a minute');
  t.same([bucket.take(60_000), bucket.take(60_000)], [0, 0]);
  t.equal(bucket.take(60_000), 100, 'a minute of quiet is still only two tokens');
});

t.test('over any window it lets through at most burst + perSecond * window requests', async (t) => {
  const rate = { perSecond: 7, burst: 3 };
  const bucket = createTokenBucket(rate, 0);
  const sent: number[] = [];
  // Greedy senders: every millisecond, take as many tokens as there are.
  for (let now = 0; now <= 5_000; now++) while (bucket.take(now) === 0) sent.push(now);
  t.equal(sent.length, 3 + 35, 'the burst and 35 refills in 5 s');
  const excess: string[] = [];
  for (const start of sent) {
    for (const windowMs of [1, 100, 500, 1_000, 2_000]) {
      const inWindow = sent.filter((at) => at >= start && at < start + windowMs).length;
      if (inWindow > rate.burst + (rate.perSecond * windowMs) / 1_000) excess.push(`${windowMs} ms from ${start}`);
    }
  }
  t.same(excess, [], 'no window over the rate');
});

t.test('a clock that steps back neither adds nor removes tokens', async (t) => {
  const bucket = createTokenBucket({ perSecond: 1, burst: 1 }, 5_000);
  t.equal(bucket.take(5_000), 0);
  t.equal(bucket.take(4_000), 1_000, 'one full interval, not two');
  t.equal(bucket.take(5_500), 500);
});

t.test('a slow rate waits whole milliseconds, at least one', async (t) => {
  const bucket = createTokenBucket({ perSecond: 0.5, burst: 1 }, 0);
  bucket.take(0);
  t.equal(bucket.take(0), 2_000);
  t.equal(bucket.take(1_999.5), 1, 'half a millisecond left rounds up, never to 0');
});

t.test('rateProblem names what is wrong with a rate', async (t) => {
  t.equal(rateProblem({ perSecond: 20, burst: 20 }), undefined);
  t.equal(rateProblem({ perSecond: 0.1, burst: 1 }), undefined);
  for (const perSecond of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    t.match(rateProblem({ perSecond, burst: 1 }), /perSecond must be a positive number/, String(perSecond));
  }
  for (const burst of [0, 1.5, -2]) t.match(rateProblem({ perSecond: 1, burst }), /burst must be a whole number/);
});

t.test('stricterRate takes the lower of each part; undefined is unlimited', async (t) => {
  const a = { perSecond: 20, burst: 5 };
  const b = { perSecond: 5, burst: 10 };
  t.same(stricterRate(a, b), { perSecond: 5, burst: 5 });
  t.same(stricterRate(b, a), { perSecond: 5, burst: 5 });
  t.equal(stricterRate(undefined, b), b);
  t.equal(stricterRate(a, undefined), a);
  t.equal(stricterRate(undefined, undefined), undefined);
});

t.test('a configured per-second rate has a burst of one second, at least one', async (t) => {
  t.same(rateOfPerSecond(20), { perSecond: 20, burst: 20 });
  t.same(rateOfPerSecond(2.5), { perSecond: 2.5, burst: 3 });
  t.same(rateOfPerSecond(0.2), { perSecond: 0.2, burst: 1 });
});
