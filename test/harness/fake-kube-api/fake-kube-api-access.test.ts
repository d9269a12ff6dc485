import { AppsV1Api, AuthorizationV1Api, CoordinationV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
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

async function post(api: FakeKubeApi, path: string, body: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
    body,
    dispatcher: new Agent({ connect: { ca: api.caPem } }),
  });
  return { status: response.status, body: await response.json() };
}

const review = (kc: KubeConfig, verb: string, group: string, resource: string, namespace?: string) =>
  kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: { spec: { resourceAttributes: { verb, group, resource, ...(namespace ? { namespace } : {}) } } },
  });

t.test('access reviews answer from the deny rules; absent fields match anything', async (t) => {
  const { api, kc } = await start(t);
  t.match(await review(kc, 'list', 'apps', 'deployments'), { status: { allowed: true, reason: /RBAC: allowed/ } });
  api.deny({ verb: 'list', group: 'apps', resource: 'deployments' });
  api.deny({ resource: 'events', verb: 'patch' });
  api.deny({ group: 'coordination.k8s.io', namespace: 'pullguard' });
  t.match(await review(kc, 'list', 'apps', 'deployments'), {
    kind: 'SelfSubjectAccessReview',
    status: { allowed: false, reason: 'RBAC: no rule grants list on deployments.apps' },
  });
  t.equal((await review(kc, 'watch', 'apps', 'deployments')).status?.allowed, true, 'another verb');
  t.equal((await review(kc, 'list', 'apps', 'statefulsets')).status?.allowed, true, 'another resource');
  t.equal((await review(kc, 'patch', '', 'events')).status?.allowed, false);
  t.equal((await review(kc, 'get', 'coordination.k8s.io', 'leases', 'pullguard')).status?.allowed, false);
  t.equal((await review(kc, 'get', 'coordination.k8s.io', 'leases', 'other')).status?.allowed, true);
  t.equal((await review(kc, 'get', 'coordination.k8s.io', 'leases')).status?.allowed, true, 'cluster scope');
  api.clearDenials();
  t.equal((await review(kc, 'list', 'apps', 'deployments')).status?.allowed, true, 'cleared');
});

t.test('an access review that asks nothing is 422 Invalid', async (t) => {
  const { api } = await start(t);
  const path = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
  t.match(await post(api, path, '{"spec":{}}'), { status: 422, body: { kind: 'Status', reason: 'Invalid' } });
  t.match(await post(api, path, 'garbage'), { status: 422 });
});

t.test('the deny rules make the real requests a 403 Forbidden Status worded as the API server words it', async (t) => {
  const { api, kc } = await start(t);
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const coordination = kc.makeApiClient(CoordinationV1Api);
  api.add('apps/deployments', { metadata: { name: 'web', namespace: 'shop' }, spec: {} });
  api.deny({ verb: 'list', group: 'apps', resource: 'deployments' });
  api.deny({ verb: 'create', resource: 'events' });
  api.deny({ verb: 'update', group: 'coordination.k8s.io', resource: 'leases' });
  await t.rejects(apps.listDeploymentForAllNamespaces(), {
    code: 403,
    body: new RegExp(
      'deployments.apps is forbidden: User \\\\"system:serviceaccount:pullguard:pullguard\\\\" cannot list resource ' +
        '\\\\"deployments\\\\" in API group \\\\"apps\\\\" at the cluster scope',
    ),
  });
  await t.rejects(apps.listNamespacedDeployment({ namespace: 'shop' }), { code: 403, body: /in the namespace/ });
  t.equal((await apps.readNamespacedDeployment({ namespace: 'shop', name: 'web' })).metadata?.name, 'web', 'get');
  const watch = await fetch(`${api.url}/apis/apps/v1/deployments?watch=true`, {
    headers: { authorization: `Bearer ${api.token}` },
    dispatcher: new Agent({ connect: { ca: api.caPem } }),
  });
  t.equal(watch.status, 200, 'a watch is its own verb');
  await watch.body?.cancel();
  await t.rejects(
    core.createNamespacedEvent({ namespace: 'shop', body: { metadata: { name: 'e1' }, involvedObject: {} } }),
    {
      code: 403,
      body: /events is forbidden: .* cannot create resource \\"events\\" in API group \\"\\" in the namespace/,
    },
  );
  const lease = { metadata: { name: 'pullguard-audit' }, spec: { holderIdentity: 'a' } };
  await coordination.createNamespacedLease({ namespace: 'pg', body: lease });
  await t.rejects(coordination.replaceNamespacedLease({ namespace: 'pg', name: 'pullguard-audit', body: lease }), {
    code: 403,
    body: /leases.coordination.k8s.io \\"pullguard-audit\\" is forbidden: .* cannot update resource/,
  });
  api.clearDenials();
  t.equal((await apps.listDeploymentForAllNamespaces()).items.length, 1, 'allowed again');
});

t.test('a watch and a delete are their own verbs', async (t) => {
  const { api } = await start(t);
  const send = (method: string, path: string) =>
    fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${api.token}` },
      dispatcher: new Agent({ connect: { ca: api.caPem } }),
    });
  api.deny({ verb: 'watch', group: 'batch' });
  api.deny({ verb: 'delete', resource: 'pods', namespace: 'shop' });
  const watch = await send('GET', '/apis/batch/v1/cronjobs?watch=true');
  t.equal(watch.status, 403);
  t.match(await watch.json(), {
    reason: 'Forbidden',
    message: /cronjobs\.batch is forbidden: .* cannot watch resource "cronjobs" in API group "batch" at the cluster/,
    details: { group: 'batch', kind: 'cronjobs' },
  });
  const list = await send('GET', '/apis/batch/v1/cronjobs');
  t.equal(list.status, 200, 'a list is not a watch');
  await list.body?.cancel();
  const deleted = await send('DELETE', '/api/v1/namespaces/shop/pods/web');
  t.match(await deleted.json(), { code: 403, message: /pods "web" is forbidden: .* cannot delete resource "pods"/ });
  const elsewhere = await send('DELETE', '/api/v1/namespaces/ops/pods/web');
  t.equal(elsewhere.status, 405, 'not denied elsewhere, and not served');
  await elsewhere.body?.cancel();
});
