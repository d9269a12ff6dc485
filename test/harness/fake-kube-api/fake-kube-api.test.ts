import { CoreV1Api, KubeConfig, makeInformer, type V1Node } from '@kubernetes/client-node';
import t from 'tap';
import { startFakeKubeApi } from './fake-kube-api.js';

const node = (name: string, arch: string): object => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/arch': arch, 'kubernetes.io/os': 'linux' } },
  status: { nodeInfo: { architecture: arch, operatingSystem: 'linux' } },
});

t.test('client-node reads objects and gets Status errors', async (t) => {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  api.addNamespace({ metadata: { name: 'shop', labels: { 'pullguard.io/mode': 'warn' } } });
  const ns = await core.readNamespace({ name: 'shop' });
  t.equal(ns.metadata?.labels?.['pullguard.io/mode'], 'warn');
  t.match(ns.metadata, { resourceVersion: /^\d+$/, uid: /\w/ });
  await t.rejects(core.readNamespacedSecret({ namespace: 'shop', name: 'nope' }), { code: 404 });
  api.fault(/secrets/, { status: 403, times: 1 });
  await t.rejects(core.readNamespacedSecret({ namespace: 'shop', name: 'nope' }), { code: 403 });
  t.same(
    api.requests().map((r) => r.path),
    ['/api/v1/namespaces/shop', '/api/v1/namespaces/shop/secrets/nope', '/api/v1/namespaces/shop/secrets/nope'],
  );
});

t.test('a wrong token is refused with 401', async (t) => {
  const api = await startFakeKubeApi({ token: 'right' });
  t.teardown(() => api.close());
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  kc.users = kc.users.map((user) => ({ ...user, token: 'wrong' }));
  await t.rejects(kc.makeApiClient(CoreV1Api).readNamespace({ name: 'x' }), { code: 401 });
});

t.test('a node informer lists, then follows additions, changes and removals', async (t) => {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  api.addNode(node('amd-1', 'amd64'));
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  const informer = makeInformer<V1Node>(kc, '/api/v1/nodes', () => core.listNode());
  const events: string[] = [];
  const seen = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => (events.length >= count ? resolve() : setTimeout(check, 10).unref());
      check();
    });
  informer.on('add', (n) => events.push(`add ${n.metadata?.name}`));
  informer.on('update', (n) => events.push(`update ${n.metadata?.name}`));
  informer.on('delete', (n) => events.push(`delete ${n.metadata?.name}`));
  informer.on('error', () => events.push('error'));
  const started = performance.now();
  await informer.start();
  t.ok(performance.now() - started < 5000, 'the watch answers its headers at once (no 30 s client timeout)');
  t.teardown(() => informer.stop());
  await seen(1);
  api.addNode(node('arm-1', 'arm64'));
  await seen(2);
  api.addNode({ ...node('arm-1', 'arm64'), spec: { unschedulable: true } });
  await seen(3);
  api.removeNode('amd-1');
  await seen(4);
  t.same(events, ['add amd-1', 'add arm-1', 'update arm-1', 'delete amd-1']);
  t.same(
    informer.list().map((n) => n.metadata?.name),
    ['arm-1'],
  );
  const paths = api.requests().map((r) => `${r.path}?${r.query}`);
  t.ok(
    paths.some((p) => /^\/api\/v1\/nodes\?.*watch=true/.test(p)),
    'the informer watched',
  );
});
