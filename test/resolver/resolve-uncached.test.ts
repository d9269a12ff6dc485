/** The audit's resolver (`resultCache: false`) asks the registry every time; the webhook's reuses its answer. */
import t from 'tap';
import { pushImage, startRegistry } from '../harness/registry/index.js';
import { credential, resolverFor } from '../helpers/resolver-setup.js';

const reg = await startRegistry({ mode: 'basic' });
t.teardown(() => reg.stop());
await pushImage(reg, { repository: 'team/app', tags: ['v1'], format: 'oci-manifest' });

const twice = async (resolve: ReturnType<typeof resolverFor>['resolve']): Promise<number> => {
  const before = await reg.manifestRequests();
  for (let i = 0; i < 2; i++)
    t.equal((await resolve(`${reg.host}/team/app:v1`, [credential(reg, 'alice')])).outcome, 'found');
  return (await reg.manifestRequests()) - before;
};

t.test('without the result cache: one manifest request per resolve', async (t) => {
  t.equal(await twice(resolverFor(t, reg, { resultCache: false }).resolve), 2);
});

t.test('with it (the default): the second answer comes from the cache', async (t) => {
  t.equal(await twice(resolverFor(t, reg).resolve), 1);
});
