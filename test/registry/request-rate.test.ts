/**
 * The per-registry request rate against the real Distribution registry, counted in its own access log: a burst of
 * distinct images is spread over time at the rate, and a request waiting for a token gives up when its caller's
 * deadline aborts.
 */
import t from 'tap';
import type { RequestRate } from '../../src/registry/transport/token-bucket.js';
import { pushImage, startRegistry, type AccessLogEntry, type RegistryHandle } from '../harness/registry/index.js';
import type { Metrics } from '../../src/observability/metrics.js';
import { resolverFor } from '../helpers/resolver-setup.js';

let reg: RegistryHandle;
t.before(async () => {
  reg = await startRegistry({ mode: 'plain' });
});
t.teardown(() => reg.stop());

/** Tags v0 … v(n-1) of one freshly pushed repository: n distinct images to check. */
async function distinctImages(repository: string, n: number): Promise<string[]> {
  const tags = Array.from({ length: n }, (_, i) => `v${i}`);
  await pushImage(reg, { repository, tags, format: 'oci-manifest' });
  return tags.map((tag) => `${reg.host}/${repository}:${tag}`);
}

/** Runs of consecutive log seconds whose request count is over `burst + perSecond * seconds`. */
function overRate(entries: readonly AccessLogEntry[], rate: RequestRate): string[] {
  const times = entries.map((entry) => entry.atSeconds);
  const first = Math.min(...times);
  const last = Math.max(...times);
  const over: string[] = [];
  for (let start = first; start <= last; start++) {
    for (let seconds = 1; start + seconds - 1 <= last; seconds++) {
      // Requests logged in seconds start … start+seconds-1 arrived within less than `seconds` seconds.
      const count = times.filter((at) => at >= start && at < start + seconds).length;
      if (count > rate.burst + rate.perSecond * seconds) over.push(`${count} in ${seconds} s from ${start}`);
    }
  }
  return over;
}

/** Count and sum of the rate wait histogram for the harness registry's entry. */
async function rateWaits(metrics: Metrics): Promise<{ count: number; sum: number }> {
  const observed = await metrics.registryRateWait.get();
  const value = (name: string) =>
    observed.values.find((v) => v.metricName === name && v.labels.registry === '127.0.0.1:*')?.value ?? 0;
  return {
    count: value('pullguard_registry_rate_wait_seconds_count'),
    sum: value('pullguard_registry_rate_wait_seconds_sum'),
  };
}

async function checkAll(images: readonly string[], resolve: (image: string) => Promise<unknown>) {
  const logged = (await reg.accessLog()).length;
  const started = performance.now();
  const results = await Promise.all(images.map((image) => resolve(image)));
  const seconds = (performance.now() - started) / 1000;
  return { results, seconds, requests: (await reg.accessLog()).slice(logged) };
}

t.test('network.requestsPerSecondPerRegistry spreads a burst of distinct images at the rate', async (t) => {
  const images = await distinctImages('rate/config', 12);
  const { resolve } = resolverFor(t, reg, {
    raw: { network: { requestTimeout: '2s', budget: '5s', requestsPerSecondPerRegistry: 5 } },
  });
  const rate = { perSecond: 5, burst: 5 };
  const { results, seconds, requests } = await checkAll(images, (image) =>
    resolve(image, [], { signal: AbortSignal.timeout(10_000) }),
  );
  t.ok(
    results.every((r) => (r as { outcome: string }).outcome === 'found'),
    'every image found',
  );
  t.equal(requests.filter((r) => r.method === 'HEAD').length, 12, 'one HEAD per image');
  t.ok(seconds >= (12 - rate.burst) / rate.perSecond - 0.05, `took ${seconds.toFixed(2)} s, at least 1.4 s`);
  t.same(overRate(requests, rate), [], 'no window over the rate at the registry');
});

t.test("a caller's stricter rate wins over the config's", async (t) => {
  const images = await distinctImages('rate/caller', 10);
  const rate = { perSecond: 4, burst: 2 };
  const { resolve, metrics } = resolverFor(t, reg, {
    raw: { network: { requestTimeout: '2s', budget: '5s', requestsPerSecondPerRegistry: 50 } },
    requestRate: rate,
  });
  const { results, seconds, requests } = await checkAll(images, (image) =>
    resolve(image, [], { signal: AbortSignal.timeout(10_000) }),
  );
  t.equal(results.filter((r) => (r as { outcome: string }).outcome === 'found').length, 10);
  t.equal(requests.length, 11, "one request per image and the registry's one GET /v2/");
  t.ok(seconds >= (10 - rate.burst) / rate.perSecond - 0.05, `took ${seconds.toFixed(2)} s, at least 2 s`);
  t.same(overRate(requests, rate), [], 'no window over the rate at the registry');
  const waits = await rateWaits(metrics);
  t.equal(waits.count, 11, 'every request observed its wait');
  t.ok(waits.sum >= 5, `the waits add up: ${waits.sum.toFixed(2)} s`);
});

t.test('without a rate (the default), a burst is not held back', async (t) => {
  const images = await distinctImages('rate/none', 20);
  const { resolve, metrics } = resolverFor(t, reg);
  const { results, seconds, requests } = await checkAll(images, (image) => resolve(image));
  t.equal(results.filter((r) => (r as { outcome: string }).outcome === 'found').length, 20);
  t.equal(requests.length, 21, "one request per image and the registry's one GET /v2/");
  t.ok(seconds < 3, `took ${seconds.toFixed(2)} s, well under the 3 s a rate of 5 per second would take`);
  t.same(await rateWaits(metrics), { count: 0, sum: 0 }, 'no wait observed without a rate');
});

t.test(
  'a check waiting for a token ends as a timeout when its deadline aborts, and never reaches the registry',
  async (t) => {
    const [first, waiting] = await distinctImages('rate/abort', 2);
    const { resolve, metrics } = resolverFor(t, reg, { requestRate: { perSecond: 0.2, burst: 2 } });
    // Its GET /v2/ and HEAD take both tokens; the next comes in 5 s.
    t.equal((await resolve(first as string)).outcome, 'found');
    const logged = (await reg.accessLog()).length;
    const started = performance.now();
    const result = await resolve(waiting as string, [], { signal: AbortSignal.timeout(200) });
    const waitedMs = performance.now() - started;
    t.equal(result.outcome, 'timeout', 'a timeout, as any deadline reached');
    t.ok(waitedMs < 1_000, `rejected ${Math.round(waitedMs)} ms after the start, not after the 5 s wait`);
    t.same((await reg.accessLog()).slice(logged), [], 'no request was sent for it');
    const waits = await rateWaits(metrics);
    t.equal(waits.count, 3, "three waits observed: the first image's GET /v2/ and HEAD, and the aborted one");
    t.ok(waits.sum >= 0.19 && waits.sum < 1, `the aborted wait counted: ${waits.sum.toFixed(3)} s in all`);
  },
);
