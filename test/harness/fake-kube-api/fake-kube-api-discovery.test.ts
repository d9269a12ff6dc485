import { ApisApi, CoreApi, CustomObjectsApi, KubeConfig, Watch } from '@kubernetes/client-node';
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

async function raw(api: FakeKubeApi, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${api.url}${path}`, {
    headers: { authorization: `Bearer ${api.token}` },
    dispatcher: new Agent({ connect: { ca: api.caPem } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const rollout = (namespace: string, name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, namespace, labels },
  spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
});

const ROLLOUTS = { group: 'argoproj.io', version: 'v1alpha1', kind: 'Rollout', plural: 'rollouts', namespaced: true };

t.test('a defined custom resource is served like a built-in: get, lists with selectors and paging', async (t) => {
  const { api, kc } = await start(t);
  t.throws(() => api.add('argoproj.io/rollouts', rollout('shop', 'web')), /not served/, 'undefined until defined');
  api.defineResource(ROLLOUTS);
  api.add('argoproj.io/rollouts', rollout('shop', 'web', { app: 'web' }));
  api.add('argoproj.io/rollouts', rollout('shop', 'api', { app: 'api' }));
  api.add('argoproj.io/rollouts', rollout('ops', 'tool', { app: 'web' }));
  const custom = kc.makeApiClient(CustomObjectsApi);
  const one = (await custom.getNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace: 'shop',
    plural: 'rollouts',
    name: 'web',
  })) as Record<string, unknown>;
  t.match(one, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { uid: /\w/, resourceVersion: /^\d+$/ },
  });
  const page = (await custom.listClusterCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'rollouts',
    limit: 2,
  })) as { kind: string; items: { metadata: { name: string } }[]; metadata: { continue?: string } };
  t.equal(page.kind, 'RolloutList');
  t.same(
    page.items.map((i) => i.metadata.name),
    ['tool', 'api'],
  );
  const rest = (await custom.listClusterCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'rollouts',
    limit: 2,
    _continue: page.metadata.continue ?? '',
  })) as { items: { metadata: { name: string } }[]; metadata: { continue?: string } };
  t.same(
    rest.items.map((i) => i.metadata.name),
    ['web'],
  );
  t.equal(rest.metadata.continue, undefined);
  const labelled = (await custom.listNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace: 'shop',
    plural: 'rollouts',
    labelSelector: 'app=web',
  })) as { items: { metadata: { name: string } }[] };
  t.same(
    labelled.items.map((i) => i.metadata.name),
    ['web'],
  );
  t.equal((await raw(api, '/apis/argoproj.io/v1beta1/rollouts')).status, 404, 'another version is not served');
  t.throws(() => api.defineResource(ROLLOUTS), /already served/);
  t.throws(() => api.defineResource({ ...ROLLOUTS, group: 'argoproj' }), /needs a dot/);
});

t.test('a custom resource is watched from a resourceVersion', async (t) => {
  const { api, kc } = await start(t);
  api.defineResource(ROLLOUTS);
  api.add('argoproj.io/rollouts', rollout('shop', 'web'));
  const listed = await raw(api, '/apis/argoproj.io/v1alpha1/rollouts');
  const version = (listed.body['metadata'] as { resourceVersion: string }).resourceVersion;
  const seen: string[] = [];
  const done = new Promise<void>((resolve) => {
    void new Watch(kc)
      .watch(
        '/apis/argoproj.io/v1alpha1/rollouts',
        { resourceVersion: version },
        (type: string, object: { metadata: { name: string } }) => {
          seen.push(`${type} ${object.metadata.name}`);
          if (seen.length === 2) resolve();
        },
        () => undefined,
      )
      .then((controller) => t.teardown(() => controller.abort()));
  });
  api.add('argoproj.io/rollouts', rollout('shop', 'api'));
  api.add('argoproj.io/rollouts', rollout('shop', 'web', { app: 'web' }));
  await done;
  t.same(seen, ['ADDED api', 'MODIFIED web']);
});

t.test('discovery: /api, /api/v1, /apis and a group version list what is served', async (t) => {
  const { api, kc } = await start(t);
  api.defineResource({ ...ROLLOUTS, verbs: ['get', 'list'] });
  const versions = await kc.makeApiClient(CoreApi).getAPIVersions();
  t.same(versions.versions, ['v1']);
  const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
  const names = groups.groups.map((g) => g.name);
  for (const group of ['apps', 'batch', 'coordination.k8s.io', 'events.k8s.io', 'authorization.k8s.io', 'argoproj.io'])
    t.ok(names.includes(group), `${group} is listed`);
  t.match(
    groups.groups.find((g) => g.name === 'argoproj.io'),
    { preferredVersion: { groupVersion: 'argoproj.io/v1alpha1', version: 'v1alpha1' } },
  );
  const core = await raw(api, '/api/v1');
  t.match(core.body, { kind: 'APIResourceList', groupVersion: 'v1' });
  t.match(
    (core.body['resources'] as object[]).find((r) => (r as { name: string }).name === 'pods'),
    {
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    },
  );
  t.match(
    (core.body['resources'] as object[]).find((r) => (r as { name: string }).name === 'nodes'),
    {
      namespaced: false,
    },
  );
  const apps = await raw(api, '/apis/apps/v1');
  t.same((apps.body['resources'] as { name: string }[]).map((r) => r.name).sort(), [
    'daemonsets',
    'deployments',
    'replicasets',
    'statefulsets',
  ]);
  const argo = await raw(api, '/apis/argoproj.io/v1alpha1');
  t.same(argo.body['resources'], [
    { name: 'rollouts', singularName: 'rollout', namespaced: true, kind: 'Rollout', verbs: ['get', 'list'] },
  ]);
  t.match((await raw(api, '/apis/argoproj.io')).body, { kind: 'APIGroup', name: 'argoproj.io' });
  t.match(await raw(api, '/apis/argoproj.io/v1'), { status: 404, body: { kind: 'Status', code: 404 } });
  t.equal((await raw(api, '/apis/example.com/v1')).status, 404, 'an undefined group');
  t.equal((await raw(api, '/api/v2')).status, 404);
});
