import t from 'tap';
import { Registry } from 'prom-client';
import { talliedCounter } from './counter-tally.js';

function setUp() {
  const registry = new Registry();
  const tally = talliedCounter({
    name: 'demo_total',
    help: 'demo',
    labelNames: ['outcome', 'registry'] as const,
    registers: [registry],
  });
  const valueOf = async (labels: Record<string, string>): Promise<number | undefined> => {
    const metric = await tally.counter.get();
    return metric.values.find((v) =>
      Object.entries(labels).every(([k, x]) => (v.labels as Record<string, unknown>)[k] === x),
    )?.value;
  };
  return { registry, tally, valueOf };
}

t.test('increments reach the counter when the registry is read, bound or not', async (t) => {
  const { registry, tally, valueOf } = setUp();
  const found = tally.labels({ outcome: 'found', registry: 'other' });
  found.inc();
  found.inc();
  tally.inc({ outcome: 'found', registry: 'other' });
  tally.inc({ outcome: 'notFound', registry: 'ghcr' });
  t.equal(
    await valueOf({ outcome: 'found', registry: 'other' }),
    3,
    'bound and unbound increments of one label set add up',
  );
  t.equal(await valueOf({ outcome: 'notFound', registry: 'ghcr' }), 1);
  t.match(
    await registry.metrics(),
    /demo_total\{outcome="found",registry="other"\} 3\n/,
    'the scrape text shows the sums',
  );
});

t.test('counts are handed over once: later reads add only what happened since', async (t) => {
  const { tally, valueOf } = setUp();
  const hit = tally.labels({ outcome: 'found', registry: 'other' });
  hit.inc();
  t.equal(await valueOf({ outcome: 'found', registry: 'other' }), 1);
  t.equal(
    await valueOf({ outcome: 'found', registry: 'other' }),
    1,
    'a second read does not count the same increment again',
  );
  hit.inc();
  hit.inc();
  t.equal(await valueOf({ outcome: 'found', registry: 'other' }), 3);
});

t.test('label sets that differ only in where their values split are kept apart', async (t) => {
  const { tally, valueOf } = setUp();
  tally.inc({ outcome: 'a', registry: 'bc' });
  tally.inc({ outcome: 'ab', registry: 'c' });
  t.equal(await valueOf({ outcome: 'a', registry: 'bc' }), 1);
  t.equal(await valueOf({ outcome: 'ab', registry: 'c' }), 1);
});

t.test('the labels a caller passes are copied: changing the object later changes nothing', async (t) => {
  const { tally, valueOf } = setUp();
  const labels = { outcome: 'found', registry: 'other' };
  tally.inc(labels);
  labels.outcome = 'timeout';
  t.equal(await valueOf({ outcome: 'found', registry: 'other' }), 1);
  t.equal(await valueOf({ outcome: 'timeout', registry: 'other' }), undefined);
});
