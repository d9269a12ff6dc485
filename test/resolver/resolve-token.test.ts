/** The resolver against a real Distribution registry with Bearer token auth (Docker Hub's flow). */
import t from 'tap';
import { pushImage, startRegistry, type RegistryHandle } from '../harness/registry/index.js';
import { credential, resolverFor } from '../helpers/resolver-setup.js';

let reg: RegistryHandle;
t.before(async () => {
  reg = await startRegistry({ mode: 'token' });
  await pushImage(reg, { repository: 'team/app', tags: ['v1', 'v2', 'v3', '1.4.0'], format: 'oci-manifest' });
  await pushImage(reg, { repository: 'public/tool', tags: ['v1'], format: 'oci-index' });
  await pushImage(reg, { repository: 'shared/lib', tags: ['v1'], format: 'docker-manifest' });
});
t.teardown(() => reg.stop());

const tokenRequests = () => reg.tokenServer?.requests() ?? 0;

t.test('good credentials: found; one manifest request per image, one token for the repository (P3)', async (t) => {
  const { resolve } = resolverFor(t, reg);
  const alice = [credential(reg, 'alice')];
  const manifests = await reg.manifestRequests();
  const tokens = tokenRequests();
  for (const tag of ['v1', 'v2', 'v3']) {
    t.equal((await resolve(`${reg.host}/team/app:${tag}`, alice)).outcome, 'found', tag);
  }
  t.equal((await reg.manifestRequests()) - manifests, 3, 'exactly 1 manifest request per cold image');
  t.equal(tokenRequests() - tokens, 1, 'the token is reused across images of one repository scope');
  const log = reg.tokenServer?.requestLog() ?? [];
  t.same(log.at(-1)?.scopes, ['repository:team/app:pull']);
  t.equal(log.at(-1)?.user, 'alice');
});

t.test('a wrong password: the token endpoint refuses → credentials-rejected', async (t) => {
  const { resolve } = resolverFor(t, reg);
  const planted = 'planted-token-pass-9876';
  const result = await resolve(`${reg.host}/team/app:v1`, [
    { username: 'alice', password: planted, source: 'secret team/wrong' },
  ]);
  t.same(result, { outcome: 'unauthorized', reason: 'credentials-rejected', credentialSource: 'secret team/wrong' });
  t.notMatch(JSON.stringify(result), new RegExp(planted));
});

t.test('anonymous: refused on a private repository, found on a public one', async (t) => {
  const { resolve } = resolverFor(t, reg);
  t.same(await resolve(`${reg.host}/team/app:v1`), { outcome: 'unauthorized', reason: 'anonymous-refused' });
  t.equal((await resolve(`${reg.host}/public/tool:v1`)).outcome, 'found');
  const last = reg.tokenServer?.requestLog().at(-1);
  t.equal(last?.user, undefined, 'the token was requested anonymously');
});

t.test('a valid user without access (insufficient scope): no-access, naming the secret', async (t) => {
  const { resolve } = resolverFor(t, reg);
  const bob = [credential(reg, 'bob')];
  t.same(await resolve(`${reg.host}/team/app:v1`, bob), {
    outcome: 'unauthorized',
    reason: 'no-access',
    credentialSource: 'secret team/bob',
  });
  t.equal((await resolve(`${reg.host}/shared/lib:v1`, bob)).outcome, 'found');
});

t.test('a missing tag with a token: not-found with suggestions from the tag list', async (t) => {
  const { resolve } = resolverFor(t, reg);
  const result = await resolve(`${reg.host}/team/app:v4`, [credential(reg, 'alice')]);
  t.equal(result.outcome, 'not-found');
  if (result.outcome !== 'not-found') return;
  t.equal(result.missing, 'tag');
  t.same(result.suggestions?.slice(0, 3), ['v3', 'v2', 'v1']);
});

t.test('a missing repository with a token: not-found (repository)', async (t) => {
  const { resolve } = resolverFor(t, reg);
  t.same(await resolve(`${reg.host}/team/nothing:v1`, [credential(reg, 'alice')]), {
    outcome: 'not-found',
    missing: 'repository',
  });
});

t.test('200 concurrent resolves of one cold image: 1 manifest request, 1 token request (P4)', async (t) => {
  const { resolve } = resolverFor(t, reg);
  const alice = [credential(reg, 'alice')];
  const manifests = await reg.manifestRequests();
  const tokens = tokenRequests();
  const results = await Promise.all(Array.from({ length: 200 }, () => resolve(`${reg.host}/team/app:1.4.0`, alice)));
  t.ok(results.every((r) => r.outcome === 'found'));
  t.equal((await reg.manifestRequests()) - manifests, 1);
  t.equal(tokenRequests() - tokens, 1);
});

t.test(
  'credentials that all fail on a repository anonymous users may pull: unauthorized, no anonymous retry',
  async (t) => {
    // The kubelet tries each credential in turn and only pulls anonymously when it has none (a wrong password on a
    // public repository fails the pull), so pullguard must not fall back to anonymous either.
    const { resolve } = resolverFor(t, reg);
    const wrong = { username: 'alice', password: 'planted-public-pass-4321', source: 'secret team/stale' };
    const before = reg.tokenServer?.requestLog().length ?? 0;
    t.same(await resolve(`${reg.host}/public/tool:v1`, [wrong]), {
      outcome: 'unauthorized',
      reason: 'credentials-rejected',
      credentialSource: 'secret team/stale',
    });
    const requests = reg.tokenServer?.requestLog().slice(before) ?? [];
    t.ok(requests.length > 0, 'the token server was asked');
    t.same(
      requests.filter((r) => r.user === undefined),
      [],
      'never anonymously',
    );
    t.equal(
      (await resolve(`${reg.host}/public/tool:v1`)).outcome,
      'found',
      'the same repository is found anonymously without credentials',
    );
  },
);
