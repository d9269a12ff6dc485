/** The resolver against a real Distribution registry without auth (plain HTTP). */
import t from 'tap';
import { indexPlatformList } from '../../src/platform/index-platforms.js';
import { pushImage, startRegistry, type RegistryHandle } from '../harness/registry/index.js';
import { counterValue, resolverFor } from '../helpers/resolver-setup.js';

const PLATFORMS = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64', variant: 'v8' },
];

let reg: RegistryHandle;
t.before(async () => {
  reg = await startRegistry({ mode: 'plain' });
});
t.teardown(() => reg.stop());

t.test('a tag that exists is found with digest and media type, by one HEAD and no GET', async (t) => {
  const image = await pushImage(reg, {
    repository: 'team/app',
    tags: ['v1', 'v2', '1.0.0', '1.2.0'],
    format: 'oci-manifest',
  });
  const { resolve } = resolverFor(t, reg);
  const heads = await reg.manifestRequests('HEAD');
  const gets = await reg.manifestRequests('GET');
  const result = await resolve(`${reg.host}/team/app:v1`);
  t.same(result, { outcome: 'found', digest: image.digest, mediaType: image.mediaType });
  t.equal((await reg.manifestRequests('HEAD')) - heads, 1);
  t.equal((await reg.manifestRequests('GET')) - gets, 0);
});

t.test('a digest that exists is found; a tag beside the digest is ignored', async (t) => {
  const image = await pushImage(reg, { repository: 'team/bydigest', tags: ['v1'], format: 'docker-manifest' });
  const { resolve } = resolverFor(t, reg);
  const result = await resolve(`${reg.host}/team/bydigest:nosuchtag@${image.digest}`);
  t.same(result, { outcome: 'found', digest: image.digest, mediaType: image.mediaType });
});

t.test('a missing tag is not-found with suggestions', async (t) => {
  await pushImage(reg, {
    repository: 'team/suggest',
    tags: ['1.29.3', '1.29', '1.28.0', 'latest', 'alpine'],
    format: 'oci-manifest',
  });
  const { resolve } = resolverFor(t, reg);
  const result = await resolve(`${reg.host}/team/suggest:1.99.9`);
  t.equal(result.outcome, 'not-found');
  if (result.outcome !== 'not-found') return;
  t.equal(result.missing, 'tag');
  t.same(result.suggestions, ['1.29.3', '1.29', '1.28.0']);
});

t.test('a missing digest is not-found (digest), without a tag listing', async (t) => {
  const { resolve } = resolverFor(t, reg);
  const log = (await reg.accessLog()).length;
  const result = await resolve(`${reg.host}/team/app@sha256:${'a'.repeat(64)}`);
  t.same(result, { outcome: 'not-found', missing: 'digest' });
  const newRequests = (await reg.accessLog()).slice(log);
  t.notOk(newRequests.some((r) => r.uri.includes('/tags/list')));
});

t.test('a missing repository is not-found (repository), as the tag list tells', async (t) => {
  const { resolve } = resolverFor(t, reg);
  const result = await resolve(`${reg.host}/team/nosuchrepo:v1`);
  t.same(result, { outcome: 'not-found', missing: 'repository' });
});

for (const format of ['oci-index', 'docker-list'] as const) {
  t.test(`${format}: wantIndex gives the platforms of the entries, one GET per digest ever`, async (t) => {
    const image = await pushImage(reg, {
      repository: `team/multi-${format}`,
      tags: ['v1', 'v2'],
      format,
      platforms: PLATFORMS,
    });
    const { resolve } = resolverFor(t, reg);
    const gets = await reg.manifestRequests('GET');
    const result = await resolve(`${reg.host}/team/multi-${format}:v1`, [], { wantIndex: true });
    t.equal(result.outcome, 'found');
    if (result.outcome !== 'found') return;
    t.equal(result.digest, image.digest);
    t.equal(result.mediaType, image.mediaType);
    // Only the compact platforms are kept, never the entries (their digests are of no later use).
    t.same(
      result.index && indexPlatformList(result.index),
      image.children?.map((c) => c.platform),
    );
    t.same(result.index && { unplatformed: result.index.unplatformed, incomplete: result.index.incomplete }, {
      unplatformed: false,
      incomplete: false,
    });
    // Same index under another tag: the body is cached by digest, so no second GET.
    const again = await resolve(`${reg.host}/team/multi-${format}:v2`, [], { wantIndex: true });
    t.equal(again.outcome === 'found' && again.index, result.index, 'the cached platforms, the same object');
    t.equal((await reg.manifestRequests('GET')) - gets, 1);
    // Without wantIndex the index body is not fetched.
    const plain = await resolve(`${reg.host}/team/multi-${format}:v1`);
    t.same(plain, { outcome: 'found', digest: image.digest, mediaType: image.mediaType });
  });
}

t.test(
  '100 concurrent resolves of one cold image make exactly 1 manifest request; a repeat is a cache hit',
  async (t) => {
    await pushImage(reg, { repository: 'team/herd', tags: ['v1'], format: 'oci-manifest' });
    const { resolve, metrics } = resolverFor(t, reg);
    const before = await reg.manifestRequests();
    const results = await Promise.all(Array.from({ length: 100 }, () => resolve(`${reg.host}/team/herd:v1`)));
    t.ok(results.every((r) => r.outcome === 'found'));
    t.equal((await reg.manifestRequests()) - before, 1);
    t.equal(await counterValue(metrics, 'pullguard_cache_requests_total', { result: 'miss' }), 1);
    t.equal(await counterValue(metrics, 'pullguard_cache_requests_total', { result: 'coalesced' }), 99);
    const repeat = await resolve(`${reg.host}/team/herd:v1`);
    t.equal(repeat.outcome, 'found');
    t.equal((await reg.manifestRequests()) - before, 1);
    t.equal(await counterValue(metrics, 'pullguard_cache_requests_total', { result: 'hit' }), 1);
    t.equal(
      await counterValue(metrics, 'pullguard_image_checks_total', { outcome: 'found', registry: '127.0.0.1:*' }),
      101,
    );
    const observed = await metrics.registry.getSingleMetric('pullguard_registry_request_duration_seconds')?.get();
    t.ok(
      observed?.values.some((v) => v.labels.registry === '127.0.0.1:*' && (v.value ?? 0) > 0),
      'durations observed',
    );
  },
);

t.test('not-found is cached for negativeTtl, then asked again', async (t) => {
  let clock = 1_000_000;
  const { resolve } = resolverFor(t, reg, { now: () => clock, raw: { cache: { negativeTtl: '30s' } } });
  const before = await reg.manifestRequests();
  await resolve(`${reg.host}/team/app:gone`);
  await resolve(`${reg.host}/team/app:gone`);
  t.equal((await reg.manifestRequests()) - before, 1);
  clock += 31_000;
  await resolve(`${reg.host}/team/app:gone`);
  t.equal((await reg.manifestRequests()) - before, 2);
});

t.test('a waiter whose deadline passes gets timeout, the others still get the answer', async (t) => {
  await pushImage(reg, { repository: 'team/patience', tags: ['v1'], format: 'oci-manifest' });
  const { resolver } = resolverFor(t, reg);
  const { ref } = await import('../helpers/resolver-setup.js');
  const reference = ref(`${reg.host}/team/patience:v1`);
  const impatient = new AbortController();
  const first = resolver.resolve({ reference, credentials: [], signal: impatient.signal });
  const second = resolver.resolve({ reference, credentials: [], signal: AbortSignal.timeout(5_000) });
  impatient.abort();
  t.equal((await first).outcome, 'timeout');
  t.equal((await second).outcome, 'found');
});

t.test('manifest checks reuse keep-alive connections: HEADs in a row open no new connection', async (t) => {
  await pushImage(reg, { repository: 'team/keepalive', tags: ['1.0.0'], format: 'oci-manifest' });
  const port = reg.host.split(':')[1];
  let lookups = 0;
  // A new connection asks the SSRF guard, which resolves the name: no new lookups means no new connections.
  const lookup = async () => {
    lookups++;
    return [{ address: '127.0.0.1', family: 4 }];
  };
  const { resolve } = resolverFor(t, reg, { hosts: ['registry.test:*'], lookup });
  const missing = (i: number) => `registry.test:${port}/team/keepalive:1.0.0@sha256:${String(i).padStart(64, '0')}`;
  t.equal((await resolve(missing(0))).outcome, 'not-found');
  const heads = await reg.manifestRequests('HEAD');
  const lookupsAfterFirst = lookups;
  for (let i = 1; i <= 20; i++) t.equal((await resolve(missing(i))).outcome, 'not-found', `missing digest ${i}`);
  t.equal((await reg.manifestRequests('HEAD')) - heads, 20, 'every check reached the registry');
  t.equal(lookups - lookupsAfterFirst, 0, 'no connection opened for the next 20 HEADs');
});

t.test('an untagged image is resolved as tag latest, like the kubelet pulls it', async (t) => {
  const latest = await pushImage(reg, { repository: 'library/nginx', tags: ['latest'], format: 'oci-manifest' });
  await pushImage(reg, { repository: 'library/nginx', tags: ['1.25'], format: 'oci-manifest', salt: 'older' });
  await pushImage(reg, { repository: 'team/nolatest', tags: ['v1'], format: 'oci-manifest' });
  const { resolve } = resolverFor(t, reg);
  t.same(
    await resolve(`${reg.host}/library/nginx`),
    { outcome: 'found', digest: latest.digest, mediaType: latest.mediaType },
    'the digest :latest points at',
  );
  const log = await reg.accessLog();
  t.ok(
    log.some((line) => line.method === 'HEAD' && line.uri === '/v2/library/nginx/manifests/latest'),
    'asked for manifests/latest',
  );
  const missing = await resolve(`${reg.host}/team/nolatest`);
  t.equal(missing.outcome, 'not-found', 'no latest tag: not found');
  t.equal(missing.outcome === 'not-found' && missing.missing, 'tag', 'the missing part is the tag');
});
