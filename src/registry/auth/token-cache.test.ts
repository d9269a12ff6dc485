import t from 'tap';
import { credentialFingerprint } from '../../credentials/credential-fingerprint.js';
import { cacheTtlMs, createTokenCache } from './token-cache.js';

t.test('token lifetime minus a margin', async (t) => {
  t.equal(cacheTtlMs(300), 285_000, '15 s margin');
  t.equal(cacheTtlMs(60), 54_000, '10% margin');
  t.equal(cacheTtlMs(0), 54_000, 'nonsense means the default 60 s');
  t.equal(cacheTtlMs(1), 1_000, 'at least a second');
});

t.test('tokens are cached per key, shared while in flight, failures not kept', async (t) => {
  let clock = 1_000_000;
  const cache = createTokenCache<{ ok: boolean; token: string }>({ now: () => clock });
  const alice = { username: 'alice', password: 'a', source: 's' };
  const key = { realm: 'https://r/t', service: 's', scope: 'repository:a:pull', credential: alice };
  let fetches = 0;
  const fetch = async () => ({ ok: true, token: `t${++fetches}` });
  const life = (r: { ok: boolean }) => (r.ok ? 60 : undefined);
  const [a, b] = await Promise.all([cache.getOrFetch(key, fetch, life), cache.getOrFetch(key, fetch, life)]);
  t.equal(a.token, 't1');
  t.equal(b.token, 't1');
  t.equal((await cache.getOrFetch(key, fetch, life)).token, 't1');
  t.equal(
    (await cache.getOrFetch({ ...key, credential: undefined }, fetch, life)).token,
    't2',
    'anonymous is another key',
  );
  t.equal((await cache.getOrFetch({ ...key, scope: 'repository:b:pull' }, fetch, life)).token, 't3');
  clock += 55_000;
  t.equal((await cache.getOrFetch(key, fetch, life)).token, 't4', 'expired');
  cache.invalidate(key);
  t.equal((await cache.getOrFetch(key, fetch, life)).token, 't5', 'invalidated');
  const failing = async () => ({ ok: false, token: '' });
  const other = { ...key, scope: 'repository:c:pull' };
  await cache.getOrFetch(other, failing, life);
  t.equal((await cache.getOrFetch(other, fetch, life)).token, 't6', 'a failure was not cached');
});

t.test('fingerprints: stable, per secret, no secret inside', async (t) => {
  const one = credentialFingerprint({ username: 'u', password: 'hunter2', source: 'a' });
  t.equal(one, credentialFingerprint({ username: 'u', password: 'hunter2', source: 'b' }));
  t.not(one, credentialFingerprint({ username: 'u', password: 'hunter3', source: 'a' }));
  t.notMatch(one, /hunter2/);
  t.equal(credentialFingerprint(undefined), 'anonymous');
});
