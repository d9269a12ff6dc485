import { AppsV1Api, BatchV1Api, CoreV1Api, EventsV1Api, KubeConfig } from '@kubernetes/client-node';
import t from 'tap';
import { Agent, fetch } from 'undici';
import { startFakeKubeApi, type FakeKubeApi } from './fake-kube-api.js';

async function start(t: { teardown(fn: () => unknown): void }): Promise<{ api: FakeKubeApi; kc: KubeConfig }> {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  return { api, kc };
}

interface WireItem {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly lastTimestamp?: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}
interface WireList {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: { readonly resourceVersion?: string; readonly continue?: string; remainingItemCount?: number };
  readonly items: readonly WireItem[];
}

const pod = (namespace: string, name: string, nodeName = 'n1', labels: Record<string, string> = {}): object => ({
  metadata: { name, namespace, labels },
  spec: { nodeName, containers: [{ name: 'app', image: 'nginx:1.27' }] },
});

/** A raw GET with the kubeconfig's token: the wire JSON, without client-node's model classes. */
async function raw(api: FakeKubeApi, path: string): Promise<{ status: number; body: WireList }> {
  const response = await fetch(`${api.url}${path}`, {
    headers: { authorization: `Bearer ${api.token}` },
    dispatcher: new Agent({ connect: { ca: api.caPem } }),
  });
  return { status: response.status, body: (await response.json()) as WireList };
}

t.test('pods: get, list in a namespace and in all, with the v1 List shape', async (t) => {
  const { api, kc } = await start(t);
  const core = kc.makeApiClient(CoreV1Api);
  api.addPod(pod('shop', 'web-1'));
  api.addPod(pod('shop', 'web-2'));
  api.add('pods', pod('ops', 'tool'));
  const one = await core.readNamespacedPod({ namespace: 'shop', name: 'web-1' });
  t.match(one, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', uid: /\w/ } });
  await t.rejects(core.readNamespacedPod({ namespace: 'ops', name: 'web-1' }), { code: 404 });
  const shop = await core.listNamespacedPod({ namespace: 'shop' });
  t.same(
    shop.items.map((p) => p.metadata?.name),
    ['web-1', 'web-2'],
  );
  const all = await raw(api, '/api/v1/pods');
  t.match(all.body, { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: /^\d+$/ } });
  t.same(
    all.body.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`),
    ['ops/tool', 'shop/web-1', 'shop/web-2'],
  );
});

t.test('field and label selectors keep the matching items only', async (t) => {
  const { api, kc } = await start(t);
  const core = kc.makeApiClient(CoreV1Api);
  api.addPod(pod('shop', 'a', 'n1', { app: 'web' }));
  api.addPod(pod('shop', 'b', 'n2', { app: 'web' }));
  api.addPod(pod('shop', 'c', 'n2', { app: 'db' }));
  const names = async (request: { fieldSelector?: string; labelSelector?: string }) =>
    (await core.listNamespacedPod({ namespace: 'shop', ...request })).items.map((p) => p.metadata?.name);
  t.same(await names({ fieldSelector: 'spec.nodeName=n2' }), ['b', 'c']);
  t.same(await names({ fieldSelector: 'spec.nodeName=n2,metadata.name!=c' }), ['b']);
  t.same(await names({ fieldSelector: 'metadata.namespace=shop,metadata.name==a' }), ['a']);
  t.same(await names({ labelSelector: 'app=web' }), ['a', 'b']);
  t.same(await names({ labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1' }), ['a']);
  api.addPod(pod('shop', 'd', 'odd,node=x'));
  t.same(await names({ fieldSelector: 'spec.nodeName=odd\\,node\\=x' }), ['d'], 'escaped , and = in a value');
  t.same(await names({ fieldSelector: 'spec.nodeName=odd' }), []);
  t.same(await names({ labelSelector: 'app in (web)' }).catch((e: { code: number }) => e.code), 400);

  api.addEvent({
    metadata: { name: 'a.1', namespace: 'shop' },
    involvedObject: { kind: 'Pod', name: 'a', namespace: 'shop' },
    reason: 'Failed',
    lastTimestamp: '2026-01-02T03:04:05Z',
  });
  api.addEvent({
    metadata: { name: 'b.1', namespace: 'shop' },
    involvedObject: { kind: 'Pod', name: 'b', namespace: 'shop' },
    reason: 'BackOff',
  });
  const events = await raw(
    api,
    '/api/v1/namespaces/shop/events?fieldSelector=' +
      encodeURIComponent('involvedObject.kind=Pod,involvedObject.name=a,involvedObject.namespace=shop'),
  );
  t.match(events.body, { apiVersion: 'v1', kind: 'EventList' });
  t.same(
    events.body.items.map((e) => [e.metadata.name, e.lastTimestamp]),
    [['a.1', '2026-01-02T03:04:05Z']],
  );
  const everywhere = await raw(api, '/api/v1/events?fieldSelector=involvedObject.name%3Db');
  t.same(
    everywhere.body.items.map((e) => e.metadata.name),
    ['b.1'],
  );
});

t.test('events.k8s.io/v1 events, selected by regarding', async (t) => {
  const { api, kc } = await start(t);
  api.add('events.k8s.io/events', {
    metadata: { name: 'a.1', namespace: 'shop' },
    regarding: { kind: 'Pod', name: 'a', namespace: 'shop' },
    reason: 'Failed',
    note: 'Failed to pull image "x"',
  });
  const events = kc.makeApiClient(EventsV1Api);
  const list = await events.listNamespacedEvent({ namespace: 'shop', fieldSelector: 'regarding.name=a' });
  t.equal(list.items.length, 1);
  t.equal(list.items[0]?.note, 'Failed to pull image "x"');
  t.equal((await events.listNamespacedEvent({ namespace: 'shop', fieldSelector: 'regarding.name=b' })).items.length, 0);
  const body = (await raw(api, '/apis/events.k8s.io/v1/namespaces/shop/events')).body;
  t.match(body, { apiVersion: 'events.k8s.io/v1', kind: 'EventList', items: [{ apiVersion: 'events.k8s.io/v1' }] });
  t.equal((await raw(api, '/api/v1/namespaces/shop/events')).body.items.length, 0, 'core events are apart');
});

t.test('apps/v1 and batch/v1 workloads: get and list namespaced', async (t) => {
  const { api, kc } = await start(t);
  const apps = kc.makeApiClient(AppsV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  const meta = (name: string) => ({ metadata: { name, namespace: 'shop' } });
  api.add('apps/deployments', meta('web'));
  api.add('apps/statefulsets', meta('db'));
  api.add('apps/daemonsets', meta('agent'));
  api.add('apps/replicasets', meta('web-7d9'));
  api.add('batch/jobs', meta('once'));
  api.add('batch/cronjobs', meta('nightly'));
  t.match(await apps.readNamespacedDeployment({ namespace: 'shop', name: 'web' }), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
  });
  t.match(await apps.readNamespacedStatefulSet({ namespace: 'shop', name: 'db' }), { kind: 'StatefulSet' });
  t.match(await apps.readNamespacedDaemonSet({ namespace: 'shop', name: 'agent' }), { kind: 'DaemonSet' });
  t.match(await batch.readNamespacedCronJob({ namespace: 'shop', name: 'nightly' }), {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
  });
  await t.rejects(batch.readNamespacedJob({ namespace: 'shop', name: 'web' }), { code: 404 });
  t.match((await raw(api, '/apis/apps/v1/namespaces/shop/replicasets')).body, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSetList',
    items: [{ metadata: { name: 'web-7d9' } }],
  });
  t.match((await raw(api, '/apis/batch/v1/namespaces/shop/jobs')).body, {
    kind: 'JobList',
    items: [{ kind: 'Job' }],
  });
  t.equal((await raw(api, '/apis/apps/v1/namespaces/shop/jobs')).status, 404, 'jobs are not in apps/v1');
  t.equal((await raw(api, '/apis/apps/v1/deployments/web')).status, 404, 'a namespaced get needs its namespace');
});

t.test('limit and continue page through a list', async (t) => {
  const { api } = await start(t);
  for (let i = 0; i < 5; i++) api.addPod(pod('shop', `p${i}`));
  const pages: string[][] = [];
  let token: string | undefined;
  do {
    const query = `limit=2${token !== undefined ? `&continue=${encodeURIComponent(token)}` : ''}`;
    const { body } = await raw(api, `/api/v1/namespaces/shop/pods?${query}`);
    pages.push(body.items.map((p) => p.metadata.name));
    token = body.metadata.continue;
    if (token !== undefined) t.type(body.metadata.remainingItemCount, 'number');
  } while (token !== undefined && pages.length < 10);
  t.same(pages, [['p0', 'p1'], ['p2', 'p3'], ['p4']]);
  t.equal((await raw(api, '/api/v1/namespaces/shop/pods?limit=2&continue=bogus')).status, 400);
  t.equal((await raw(api, '/api/v1/namespaces/shop/pods?limit=-1')).status, 400);
  const all = (await raw(api, '/api/v1/namespaces/shop/pods?limit=0')).body;
  t.equal(all.items.length, 5, 'limit=0 means no limit');
  t.notOk('continue' in all.metadata);
});
