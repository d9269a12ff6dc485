import t from 'tap';
import { DEFAULT_CONFIG } from '../config/load-config.js';
import type { RegistryCredential } from '../credentials/credential.js';
import { parseImageReference, type ImageReference } from '../image/reference.js';
import type { ClosableImageResolver, ResolveOptions } from '../resolution/image-resolver.js';
import type { Resolution } from '../resolution/resolution.js';
import { cacheKey, credentialsFingerprint, resultTtlMs, withResultCache } from './result-cache.js';

function ref(text: string): ImageReference {
  const parsed = parseImageReference(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.reference;
}

/** An inner resolver that answers from a script and counts calls; `gate` holds answers until released. */
function scripted(answer: (options: ResolveOptions) => Resolution) {
  const calls: ResolveOptions[] = [];
  let release: () => void = () => undefined;
  let gate = Promise.resolve();
  const inner: ClosableImageResolver = {
    async resolve(options) {
      calls.push(options);
      await gate;
      return answer(options);
    },
    close: async () => undefined,
  };
  return {
    inner,
    calls,
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
  };
}

const alice: RegistryCredential = { username: 'alice', password: 'pw-a', source: 'secret ns/a' };
const bob: RegistryCredential = { username: 'bob', password: 'pw-b', source: 'secret ns/b' };

t.test('what is cached for how long', async (t) => {
  const cache = { ttlMs: 300_000, negativeTtlMs: 30_000, maxEntries: 10 };
  const cases: [Resolution, number | undefined][] = [
    [{ outcome: 'found', digest: 'sha256:x' }, 300_000],
    [{ outcome: 'not-found', missing: 'tag' }, 30_000],
    [{ outcome: 'unauthorized', reason: 'anonymous-refused' }, 30_000],
    [{ outcome: 'invalid', reason: 'x' }, 30_000],
    [{ outcome: 'timeout', afterMs: 5 }, undefined],
    [{ outcome: 'unreachable', cause: 'dns', detail: 'x' }, undefined],
    [{ outcome: 'rate-limited' }, undefined],
    [{ outcome: 'blocked', host: 'h', address: 'a' }, undefined],
  ];
  for (const [result, want] of cases) t.equal(resultTtlMs(result, cache), want, result.outcome);
});

t.test('cache keys: reference, index wish, and the ordered credential list', async (t) => {
  const base = { reference: ref('nginx'), signal: AbortSignal.timeout(1000) };
  const keys = [
    cacheKey({ ...base, credentials: [] }),
    cacheKey({ ...base, credentials: [alice] }),
    cacheKey({ ...base, credentials: [bob] }),
    cacheKey({ ...base, credentials: [alice, bob] }),
    cacheKey({ ...base, credentials: [bob, alice] }),
    cacheKey({ ...base, credentials: [{ ...alice, source: 'secret other/a' }] }),
    cacheKey({ ...base, credentials: [], wantIndex: true }),
    cacheKey({ ...base, reference: ref('nginx:1.29'), credentials: [] }),
  ];
  t.equal(new Set(keys).size, keys.length, 'all distinct');
  t.equal(cacheKey({ ...base, credentials: [{ ...alice }] }), keys[1], 'equal contents, equal key');
  t.notMatch(keys.join(' '), /pw-a|pw-b/, 'no password in a key');
  t.equal(credentialsFingerprint([]), 'anonymous');
});

t.test(
  'cache keys of long references are hashed: bounded in size, still distinct per reference and credentials',
  async (t) => {
    const long = (tag: string) => ref(`registry.example.com/${'team/'.repeat(40)}app:${tag}`);
    const base = { reference: long('v1'), signal: AbortSignal.timeout(1000) };
    const keys = [
      cacheKey({ ...base, credentials: [] }),
      cacheKey({ ...base, credentials: [alice] }),
      cacheKey({ ...base, credentials: [bob] }),
      cacheKey({ ...base, credentials: [], wantIndex: true }),
      cacheKey({ ...base, reference: long('v2'), credentials: [] }),
    ];
    t.equal(new Set(keys).size, keys.length, 'all distinct');
    t.ok(
      keys.every((key) => key.length <= 60),
      `at most 60 characters (${keys.map((k) => k.length).join(', ')})`,
    );
    t.equal(cacheKey({ ...base, credentials: [{ ...alice }] }), keys[1], 'equal contents, equal key');
    t.match(
      cacheKey({ reference: ref('nginx:1.29'), credentials: [] }),
      /^docker\.io\/library\/nginx:1\.29\|/,
      'short keys stay readable',
    );
  },
);

t.test('found is served from cache until its TTL, transient results are never cached', async (t) => {
  let clock = 1_000_000; // lru-cache treats a start time of 0 as "no TTL"
  let next: Resolution = { outcome: 'found', digest: 'sha256:1' };
  const script = scripted(() => next);
  const resolver = withResultCache(script.inner, { config: DEFAULT_CONFIG, now: () => clock });
  const ask = () => resolver.resolve({ reference: ref('nginx'), credentials: [], signal: AbortSignal.timeout(1000) });
  t.same(await ask(), next);
  await ask();
  t.equal(script.calls.length, 1);
  clock += DEFAULT_CONFIG.cache.ttlMs + 1;
  next = { outcome: 'timeout', afterMs: 3 };
  t.same(await ask(), next);
  t.same(await ask(), next);
  t.equal(script.calls.length, 3, 'a timeout is asked again every time');
});

t.test('concurrent misses coalesce; one waiter giving up does not fail the others', async (t) => {
  const script = scripted(() => ({ outcome: 'found' }));
  script.hold();
  const resolver = withResultCache(script.inner, { config: DEFAULT_CONFIG });
  const reference = ref('nginx');
  const impatient = new AbortController();
  const first = resolver.resolve({ reference, credentials: [], signal: impatient.signal });
  const others = Array.from({ length: 10 }, () =>
    resolver.resolve({ reference, credentials: [], signal: AbortSignal.timeout(5000) }),
  );
  impatient.abort();
  t.match(await first, { outcome: 'timeout' });
  script.release();
  for (const other of await Promise.all(others)) t.same(other, { outcome: 'found' });
  t.equal(script.calls.length, 1);
  t.notOk(script.calls[0]?.signal.aborted, 'the shared work was not aborted');
});

t.test('when every waiter gives up the shared work is aborted and the next caller starts afresh', async (t) => {
  const script = scripted((options) =>
    options.signal.aborted ? { outcome: 'timeout', afterMs: 1 } : { outcome: 'found' },
  );
  script.hold();
  const resolver = withResultCache(script.inner, { config: DEFAULT_CONFIG });
  const reference = ref('nginx');
  const only = new AbortController();
  const first = resolver.resolve({ reference, credentials: [], signal: only.signal });
  only.abort();
  t.match(await first, { outcome: 'timeout' });
  t.ok(script.calls[0]?.signal.aborted, 'abandoned work is aborted');
  script.release();
  const fresh = await resolver.resolve({ reference, credentials: [], signal: AbortSignal.timeout(5000) });
  t.same(fresh, { outcome: 'found' });
  t.equal(script.calls.length, 2);
});

t.test('an already-aborted caller gets timeout at once', async (t) => {
  const script = scripted(() => ({ outcome: 'found' }));
  const resolver = withResultCache(script.inner, { config: DEFAULT_CONFIG });
  const result = await resolver.resolve({ reference: ref('nginx'), credentials: [], signal: AbortSignal.abort() });
  t.equal(result.outcome, 'timeout');
});

t.test('peek answers from the cache only, never from the network, and keeps credentials apart', async (t) => {
  const script = scripted((o) =>
    o.reference.path === 'team/flaky' ? { outcome: 'timeout', afterMs: 1 } : { outcome: 'found', digest: 'sha256:p' },
  );
  const resolver = withResultCache(script.inner, { config: DEFAULT_CONFIG });
  const image = ref('registry.example.com/team/app:1');
  t.equal(resolver.peek?.({ reference: image, credentials: [alice] }), undefined, 'a cold cache has nothing');
  t.equal(script.calls.length, 0, 'peek does not resolve');
  await resolver.resolve({ reference: image, credentials: [alice], signal: new AbortController().signal });
  t.same(resolver.peek?.({ reference: image, credentials: [alice] }), { outcome: 'found', digest: 'sha256:p' });
  t.equal(
    resolver.peek?.({ reference: image, credentials: [bob] }),
    undefined,
    "bob's credentials never see alice's result",
  );
  const flaky = ref('registry.example.com/team/flaky:1');
  await resolver.resolve({ reference: flaky, credentials: [], signal: new AbortController().signal });
  t.equal(
    resolver.peek?.({ reference: flaky, credentials: [] }),
    undefined,
    'a transient outcome is not there to peek at',
  );
  t.equal(script.calls.length, 2);
});
