import t from 'tap';
import type { Authenticator, AuthTarget } from '../auth/authenticator.js';
import type { RegistryTransport } from '../transport/http-transport.js';
import { createTagLister, listingBytes, nextPage, TAG_CACHE_BYTES } from './tag-list.js';

t.test('Link pagination stays on the registry origin', async (t) => {
  const origin = 'https://r.example:5000';
  const cases: [string | undefined, string | undefined][] = [
    ['</v2/a/tags/list?last=v9&n=1000>; rel="next"', '/v2/a/tags/list?last=v9&n=1000'],
    ['<https://r.example:5000/v2/a/tags/list?last=x>; rel=next', '/v2/a/tags/list?last=x'],
    ['<https://evil.example/v2/a/tags/list>; rel="next"', undefined],
    ['</v2/a/tags/list?first>; rel="prev", </v2/a/tags/list?n=2>; rel="next"', '/v2/a/tags/list?n=2'],
    ['</v2/a/tags/list>; rel="last"', undefined],
    ['garbage', undefined],
    [undefined, undefined],
  ];
  for (const [link, want] of cases) t.equal(nextPage(link, origin), want, String(link));
});

/** A registry answering tags/list from `pages` (one per request, linked with rel="next"), counting requests. */
function lister(pages: readonly (readonly string[])[]) {
  let requests = 0;
  const transport: RegistryTransport = {
    async request(request) {
      requests++;
      const page = Number(request.url.searchParams.get('page') ?? 0);
      const next =
        page + 1 < pages.length ? { link: `</v2/team/app/tags/list?n=1000&page=${page + 1}>; rel="next"` } : {};
      return {
        status: 200,
        headers: { 'content-type': 'application/json', ...next },
        url: request.url,
        body: Buffer.from(JSON.stringify({ name: 'team/app', tags: pages[page] })),
      };
    },
    close: async () => undefined,
  };
  const auth: Authenticator = {
    challengeFor: async () => null,
    remember: () => undefined,
    authorize: async () => ({ ok: true, scheme: 'none' }),
    invalidate: () => undefined,
    forget: () => undefined,
  };
  return { deps: { transport, auth }, requests: () => requests };
}

const target = (repositoryPath = 'team/app'): AuthTarget => ({
  origin: 'https://r.example',
  registry: undefined,
  repositoryPath,
  credential: undefined,
  signal: AbortSignal.timeout(5000),
});

t.test('only tags the reference grammar allows are kept, at most maxTags of them', async (t) => {
  const valid = ['1.0', 'latest', '_x', 'v1.2.3-rc.1', 'a'.repeat(128)];
  const invalid = ['a'.repeat(129), '-dash-first', '.dot', 'has space', 'ümlaut', '', 'a/b'];
  const { deps } = lister([[...valid.slice(0, 2), ...invalid, ...valid.slice(2)]]);
  const listing = await createTagLister(deps, { ttlMs: 60_000, timeoutMs: 5000 }).list(target());
  t.same(listing, { kind: 'tags', tags: valid });
  const capped = await createTagLister(lister([valid, valid]).deps, {
    ttlMs: 60_000,
    timeoutMs: 5000,
    maxTags: 7,
  }).list(target());
  t.same(capped, { kind: 'tags', tags: [...valid, ...valid.slice(0, 2)] }, 'pages are followed up to maxTags');
});

t.test('cached listings stay within the byte budget, whatever the registry lists', async (t) => {
  // 10,000 tags of 128 characters per listing: ~1.6 MB each by listingBytes.
  const page = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(4, '0')}-${'x'.repeat(123)}`);
  const { deps, requests } = lister(Array.from({ length: 10 }, () => page));
  const tagLister = createTagLister(deps, { ttlMs: 60_000, timeoutMs: 5000, maxPages: 10 });
  const first = await tagLister.list(target('team/r0'));
  t.equal(first?.kind === 'tags' && first.tags.length, 10_000);
  t.ok(
    first && listingBytes(first) > 1_500_000 && listingBytes(first) < TAG_CACHE_BYTES / 8,
    `one listing: ${first && listingBytes(first)} bytes`,
  );
  const repositories = Math.ceil(TAG_CACHE_BYTES / (first ? listingBytes(first) : 1)) + 2;
  for (let r = 1; r < repositories; r++) await tagLister.list(target(`team/r${r}`));
  const before = requests();
  await tagLister.list(target(`team/r${repositories - 1}`));
  t.equal(requests(), before, 'the newest listing is served from the cache');
  await tagLister.list(target('team/r0'));
  t.equal(requests() - before, 10, 'the oldest was evicted to stay within the budget, and is fetched again');
});
