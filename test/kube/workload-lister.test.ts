import t, { type Test } from 'tap';
import type { WorkloadObject } from '../../src/audit/inventory.js';
import { listWorkloads, type ListWorkloadsOptions } from '../../src/kube/workload-lister.js';
import { auditedResources } from '../../src/kube/workload-resources.js';
import { startFakeKubeApi, type FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { addOneOfEach, deployment, kubeConfigOf } from './workload-fixtures.js';

const RESOURCES = auditedResources([]);
const BUILT_IN = RESOURCES.filter((r) => r.builtIn);

async function start(t: Test): Promise<FakeKubeApi> {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  return api;
}

const list = (api: FakeKubeApi, extra: Partial<ListWorkloadsOptions> = {}) =>
  listWorkloads({
    kubeConfig: kubeConfigOf(api),
    resources: BUILT_IN,
    signal: AbortSignal.timeout(20_000),
    requestTimeoutMs: 5_000,
    ...extra,
  });

const named = (objects: readonly WorkloadObject[]): string[] =>
  objects
    .map((o) => {
      const metadata = (o.object as { metadata: { namespace: string; name: string } }).metadata;
      return `${o.group}/${o.version ?? ''}/${o.kind} ${metadata.namespace}/${metadata.name}`;
    })
    .sort();

t.test('every built-in kind, tagged with its group, version and kind, kept lean', async (t) => {
  const api = await start(t);
  addOneOfEach(api, 'shop');
  const listing = await list(api);
  t.same(listing.problems, []);
  t.same(listing.notServed, []);
  t.equal(listing.capped, false);
  t.same(named(listing.objects), [
    '/v1/Pod shop/lonely',
    '/v1/ReplicationController shop/legacy',
    'apps/v1/DaemonSet shop/agent',
    'apps/v1/Deployment shop/idle',
    'apps/v1/ReplicaSet shop/bare-rs',
    'apps/v1/StatefulSet shop/db',
    'batch/v1/CronJob shop/nightly',
    'batch/v1/Job shop/once',
  ]);
  const idle = listing.objects.find((o) => o.kind === 'Deployment')?.object as Record<string, any>;
  t.equal(idle['spec'].replicas, 0, 'a Deployment scaled to zero is listed');
  t.equal(idle['metadata'].managedFields, undefined, 'managed fields dropped');
  t.equal(idle['metadata'].annotations, undefined, 'last-applied annotation dropped');
  t.same(idle['status'], undefined, 'no status phase: no status');
  const lonely = listing.objects.find((o) => o.kind === 'Pod')?.object as Record<string, any>;
  t.same(lonely['status'], { phase: 'Running' });
  const cron = listing.objects.find((o) => o.kind === 'CronJob')?.object as Record<string, any>;
  t.equal(cron['spec'].jobTemplate.spec.template.spec.containers[0].image, 'registry.example/nightly:1');
  const paths = api.requests().map((r) => `${r.path}?${r.query}`);
  t.ok(paths.includes('/apis/apps/v1/deployments?limit=500'), 'all namespaces, 500 a page');
  t.ok(paths.includes('/api/v1/replicationcontrollers?limit=500'));
  t.notOk(
    api.requests().some((r) => r.path.includes('secrets') || r.path.includes('podtemplates')),
    'no secrets, no pod templates',
  );
});

t.test('one namespace, a label selector sent as written', async (t) => {
  const api = await start(t);
  addOneOfEach(api, 'shop', { team: 'a' });
  addOneOfEach(api, 'other', { team: 'a' });
  api.add('apps/deployments', deployment({ name: 'unlabelled', namespace: 'shop' }, 'registry.example/u:1'));
  const listing = await list(api, { namespace: 'shop', labelSelector: 'team=a' });
  t.equal(listing.objects.length, 8);
  t.ok(named(listing.objects).every((name) => name.includes(' shop/')));
  t.notOk(named(listing.objects).some((name) => name.includes('unlabelled')));
  t.ok(
    api
      .requests()
      .some(
        (r) => r.path === '/apis/batch/v1/namespaces/shop/cronjobs' && r.query === 'limit=500&labelSelector=team%3Da',
      ),
  );
});

t.test('pages: limit and continue, every object once', async (t) => {
  const api = await start(t);
  for (let i = 0; i < 7; i++)
    api.add('apps/deployments', deployment({ name: `d${i}`, namespace: 'shop' }, `registry.example/d:${i}`));
  const deployments = BUILT_IN.filter((r) => r.kind === 'Deployment');
  const listing = await list(api, { resources: deployments, pageSize: 3 });
  t.same(
    named(listing.objects),
    [0, 1, 2, 3, 4, 5, 6].map((i) => `apps/v1/Deployment shop/d${i}`),
  );
  const pages = api.requests().filter((r) => r.path === '/apis/apps/v1/deployments');
  t.equal(pages.length, 3);
  t.ok(pages.slice(1).every((r) => r.query.includes('continue=')));
});

t.test('a forbidden resource is a problem naming it; the others are still listed', async (t) => {
  const api = await start(t);
  addOneOfEach(api, 'shop');
  api.fault(/^\/apis\/apps\/v1\/statefulsets/, { status: 403 });
  const listing = await list(api);
  t.same(
    listing.problems.map((p) => [p.resource.kind, p.kind, p.detail]),
    [['StatefulSet', 'forbidden', 'cannot list statefulsets.apps in all namespaces: forbidden (HTTP 403)']],
  );
  t.equal(listing.objects.length, 7);
  t.notOk(listing.objects.some((o) => o.kind === 'StatefulSet'));
});

t.test('custom resources the API server does not serve are not served, not problems', async (t) => {
  const api = await start(t);
  addOneOfEach(api, 'shop');
  const listing = await list(api, { resources: RESOURCES });
  t.same(listing.problems, []);
  t.equal(listing.notServed.length, RESOURCES.length - BUILT_IN.length);
  t.ok(listing.notServed.some((r) => r.group === 'argoproj.io' && r.kind === 'Rollout'));
  t.ok(api.requests().some((r) => r.path === '/apis/argoproj.io/v1alpha1/rollouts'));
  t.equal(listing.objects.length, 8);
});

t.test('other failures are problems of their kind: unavailable, timeout, invalid', async (t) => {
  const api = await start(t);
  addOneOfEach(api, 'shop');
  api.fault(/^\/apis\/apps\/v1\/daemonsets/, { status: 503 });
  api.fault(/^\/apis\/batch\/v1\/jobs/, { hang: true });
  api.fault(/^\/api\/v1\/pods/, { status: 200, body: 'not json' });
  const listing = await list(api, { requestTimeoutMs: 300 });
  t.same(listing.problems.map((p) => `${p.resource.kind} ${p.kind}`).sort(), [
    'DaemonSet unavailable',
    'Job timeout',
    'Pod invalid',
  ]);
  t.equal(listing.objects.length, 5);
});

t.test('at most maxObjects objects, then capped', async (t) => {
  const api = await start(t);
  addOneOfEach(api, 'shop');
  addOneOfEach(api, 'other');
  const listing = await list(api, { maxObjects: 5, pageSize: 1 });
  t.equal(listing.objects.length, 5);
  t.equal(listing.capped, true);
  const uncapped = await list(api, { maxObjects: 16 });
  t.equal(uncapped.objects.length, 16);
  t.equal(uncapped.capped, false, 'exactly the cap is not capped');
});
