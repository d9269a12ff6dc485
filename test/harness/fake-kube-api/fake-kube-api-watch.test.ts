import { KubeConfig, Watch } from '@kubernetes/client-node';
import t from 'tap';
import { startFakeKubeApi, type FakeKubeApi } from './fake-kube-api.js';

/** Watches `path` with `query` and records `TYPE namespace/name` lines until the stream ends. */
async function watchLines(api: FakeKubeApi, path: string, query: Record<string, string>) {
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  const lines: string[] = [];
  let ended = false;
  const controller = await new Watch(kc).watch(
    path,
    query,
    (type, object: { metadata: { namespace?: string; name: string } }) =>
      lines.push(`${type} ${object.metadata.namespace ?? ''}/${object.metadata.name}`),
    () => (ended = true),
  );
  return { lines, ended: () => ended, abort: () => controller.abort() };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

const deployment = (namespace: string, name: string, labels: Record<string, string>) => ({
  metadata: { name, namespace, labels },
  spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
});

t.test('watches of any resource honour the namespace and the label selector; remove sends DELETED', async (t) => {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  api.add('apps/deployments', deployment('shop', 'web', { team: 'a' }));
  api.add('apps/deployments', deployment('shop', 'db', { team: 'b' }));
  api.add('apps/deployments', deployment('other', 'web', { team: 'a' }));
  const all = await watchLines(api, '/apis/apps/v1/deployments', {});
  const selected = await watchLines(api, '/apis/apps/v1/namespaces/shop/deployments', { labelSelector: 'team=a' });
  t.teardown(() => {
    all.abort();
    selected.abort();
  });
  await until(() => all.lines.length === 3 && selected.lines.length === 1);
  t.same(all.lines.sort(), ['ADDED other/web', 'ADDED shop/db', 'ADDED shop/web']);
  t.same(selected.lines, ['ADDED shop/web']);

  api.add('apps/deployments', deployment('shop', 'api', { team: 'a' }));
  api.remove('apps/deployments', 'shop', 'db');
  api.remove('apps/deployments', 'shop', 'web');
  api.remove('apps/deployments', 'shop', 'absent');
  await until(() => all.lines.length === 6 && selected.lines.length === 3);
  t.same(all.lines.slice(3), ['ADDED shop/api', 'DELETED shop/db', 'DELETED shop/web']);
  t.same(selected.lines, ['ADDED shop/web', 'ADDED shop/api', 'DELETED shop/web']);
  t.equal(api.openWatches(), 2);

  api.dropWatches();
  await until(() => all.ended() && selected.ended());
  t.ok(all.ended() && selected.ended(), 'dropped watches end');
  t.equal(api.openWatches(), 0);
});

t.test('batch, core and replicationcontrollers watches replay from a resourceVersion', async (t) => {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  api.add('replicationcontrollers', { metadata: { name: 'legacy', namespace: 'shop' }, spec: {} });
  const rcs = await watchLines(api, '/api/v1/replicationcontrollers', {});
  const cronjobs = await watchLines(api, '/apis/batch/v1/cronjobs', { resourceVersion: '1' });
  t.teardown(() => {
    rcs.abort();
    cronjobs.abort();
  });
  api.add('batch/cronjobs', { metadata: { name: 'nightly', namespace: 'shop' }, spec: {} });
  api.remove('replicationcontrollers', 'shop', 'legacy');
  await until(() => rcs.lines.length === 2 && cronjobs.lines.length === 1);
  t.same(rcs.lines, ['ADDED shop/legacy', 'DELETED shop/legacy']);
  t.same(cronjobs.lines, ['ADDED shop/nightly']);
});
