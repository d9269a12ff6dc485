/** The resolver against a real Distribution registry with htpasswd Basic auth over TLS (test CA). */
import t from 'tap';
import { pushImage, startRegistry, type RegistryHandle } from '../harness/registry/index.js';
import { credential, resolverFor } from '../helpers/resolver-setup.js';

let reg: RegistryHandle;
let digest: string;
t.before(async () => {
  reg = await startRegistry({ mode: 'basic' });
  digest = (await pushImage(reg, { repository: 'team/app', tags: ['v1'], format: 'oci-manifest' })).digest;
});
t.teardown(() => reg.stop());

t.test('good credentials: found, sent with the manifest HEAD directly', async (t) => {
  const { resolve } = resolverFor(t, reg);
  const before = await reg.manifestRequests();
  const result = await resolve(`${reg.host}/team/app:v1`, [credential(reg, 'alice')]);
  t.equal(result.outcome, 'found');
  t.equal(result.outcome === 'found' && result.digest, digest);
  t.equal((await reg.manifestRequests()) - before, 1, 'the /v2/ ping taught the scheme, so no 401 round trip');
});

t.test('a wrong password: credentials-rejected, naming the secret, never the password', async (t) => {
  const { resolve } = resolverFor(t, reg);
  const wrong = { username: 'alice', password: 'planted-P4ssw0rd-xyz', source: 'secret team/wrong' };
  const result = await resolve(`${reg.host}/team/app:v1`, [wrong]);
  t.same(result, { outcome: 'unauthorized', reason: 'credentials-rejected', credentialSource: 'secret team/wrong' });
  t.notMatch(JSON.stringify(result), /planted-P4ssw0rd-xyz/);
});

t.test('anonymous: anonymous-refused, not ambiguous (not Docker Hub)', async (t) => {
  const { resolve } = resolverFor(t, reg);
  t.same(await resolve(`${reg.host}/team/app:v1`), { outcome: 'unauthorized', reason: 'anonymous-refused' });
});

t.test('several credentials: the first that works wins; none working names every source', async (t) => {
  const { resolve } = resolverFor(t, reg);
  const wrongA = { username: 'alice', password: 'nope-1', source: 'secret team/a' };
  const wrongB = { username: 'bob', password: 'nope-2', source: 'secret team/b' };
  const good = await resolve(`${reg.host}/team/app:v1`, [wrongA, credential(reg, 'bob')]);
  t.equal(good.outcome, 'found');
  const bad = await resolve(`${reg.host}/team/app:v1`, [wrongA, wrongB]);
  t.same(bad, {
    outcome: 'unauthorized',
    reason: 'credentials-rejected',
    credentialSource: 'secret team/a',
    credentialSources: ['secret team/a', 'secret team/b'],
  });
});

t.test('cache keys are separate per credential list', async (t) => {
  const { resolve } = resolverFor(t, reg);
  const before = await reg.manifestRequests();
  t.equal((await resolve(`${reg.host}/team/app:v1`, [credential(reg, 'alice')])).outcome, 'found');
  t.equal((await resolve(`${reg.host}/team/app:v1`, [credential(reg, 'alice')])).outcome, 'found', 'same list: hit');
  t.equal((await resolve(`${reg.host}/team/app:v1`)).outcome, 'unauthorized', "anonymous never gets alice's answer");
  const renamed = credential(reg, 'alice', 'secret other/alice');
  t.equal((await resolve(`${reg.host}/team/app:v1`, [renamed])).outcome, 'found');
  t.equal((await reg.manifestRequests()) - before, 3);
});

t.test('without the test CA the TLS failure is unreachable (tls)', async (t) => {
  const { resolve } = resolverFor(t, { mode: 'basic' } as RegistryHandle);
  const result = await resolve(`${reg.host}/team/app:v1`, [credential(reg, 'alice')]);
  t.equal(result.outcome, 'unreachable');
  t.equal(result.outcome === 'unreachable' && result.cause, 'tls');
  t.notMatch(JSON.stringify(result), new RegExp(reg.users.alice ?? 'x'));
});
