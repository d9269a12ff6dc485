import t, { type Test } from 'tap';
import type { WorkloadObject } from '../../src/audit/inventory.js';
import {
  startWorkloadInformers,
  type WorkloadInformers,
  type WorkloadInformersOptions,
} from '../../src/kube/workload-informers.js';
import { auditedResources } from '../../src/kube/workload-resources.js';
import { startFakeKubeApi, type FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { addOneOfEach, deployment, eventually, kubeConfigOf } from './workload-fixtures.js';

const RESOURCES = auditedResources([]);
const BUILT_IN = RESOURCES.filter((r) => r.builtIn);

interface Started {
  readonly api: FakeKubeApi;
  readonly informers: WorkloadInformers;
  readonly warnings: string[];
  readonly details: object[];
  readonly changes: () => number;
}

async function start(
  t: Test,
  configure: (api: FakeKubeApi) => void,
  extra: Partial<WorkloadInformersOptions> = {},
): Promise<Started> {
  const api = await startFakeKubeApi();
  configure(api);
  const warnings: string[] = [];
  const details: object[] = [];
  const informers = startWorkloadInformers({
    kubeConfig: kubeConfigOf(api),
    resources: BUILT_IN,
    log: {
      warn: (detail, message) => {
        warnings.push(message);
        details.push(detail);
      },
      info: () => {},
    },
    backoff: { initialMs: 20, maxMs: 50 },
    debounceMs: 20,
    ...extra,
  });
  let changes = 0;
  informers.onChange(() => void changes++);
  t.teardown(async () => {
    await informers.stop();
    await api.close();
  });
  return { api, informers, warnings, details, changes: () => changes };
}

const names = (informers: WorkloadInformers): string[] =>
  [...informers.objects()]
    .map((o: WorkloadObject) => {
      const metadata = (o.object as { metadata: { namespace: string; name: string } }).metadata;
      return `${o.kind} ${metadata.namespace}/${metadata.name}`;
    })
    .sort();

const imageOf = (informers: WorkloadInformers, name: string): unknown => {
  const found = [...informers.objects()].find(
    (o) => (o.object as { metadata: { name: string } }).metadata.name === name,
  );
  return (found?.object as { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } } | undefined)?.spec
    ?.template?.spec?.containers?.[0]?.image;
};

const watching = (api: FakeKubeApi, count: number) => () => api.openWatches() >= count;

t.test('initial list of every kind, then ADDED, MODIFIED and DELETED through the watch', async (t) => {
  const { api, informers, changes } = await start(t, (api) => addOneOfEach(api, 'shop'));
  t.notOk(informers.synced(), 'not synced before the lists');
  t.ok(await eventually(() => informers.synced()), 'synced');
  t.same(names(informers), [
    'CronJob shop/nightly',
    'DaemonSet shop/agent',
    'Deployment shop/idle',
    'Job shop/once',
    'Pod shop/lonely',
    'ReplicaSet shop/bare-rs',
    'ReplicationController shop/legacy',
    'StatefulSet shop/db',
  ]);
  const idle = [...informers.objects()].find((o) => o.kind === 'Deployment');
  t.same([idle?.group, idle?.version], ['apps', 'v1']);
  t.equal(Object.hasOwn((idle?.object as { metadata: object }).metadata, 'managedFields'), false, 'kept lean');
  t.ok(await eventually(() => changes() > 0), 'listeners called after the lists');
  t.ok(await eventually(watching(api, BUILT_IN.length)), 'one watch per resource');

  const before = changes();
  api.add('apps/deployments', deployment({ name: 'web', namespace: 'shop' }, 'registry.example/web:1'));
  t.ok(await eventually(() => imageOf(informers, 'web') === 'registry.example/web:1'), 'ADDED');
  api.add('apps/deployments', deployment({ name: 'web', namespace: 'shop' }, 'registry.example/web:2'));
  t.ok(await eventually(() => imageOf(informers, 'web') === 'registry.example/web:2'), 'MODIFIED');
  const modified = [...informers.objects()].find(
    (o) => (o.object as { metadata: { name: string } }).metadata.name === 'web',
  );
  t.equal(
    Object.hasOwn((modified?.object as { metadata: object }).metadata, 'annotations'),
    false,
    'watched objects lean too',
  );
  api.remove('apps/deployments', 'shop', 'web');
  t.ok(await eventually(() => imageOf(informers, 'web') === undefined), 'DELETED');
  t.ok(await eventually(() => changes() > before), 'listeners called after watch events');
  t.same(
    api.requests().filter((r) => r.path === '/apis/apps/v1/deployments' && !r.query.includes('watch')).length,
    1,
    'listed once',
  );
});

t.test('a watch that drops reconnects and keeps the view current', async (t) => {
  const { api, informers } = await start(t, (api) => addOneOfEach(api, 'shop'));
  t.ok(await eventually(watching(api, BUILT_IN.length)));
  const watches = () => api.requests().filter((r) => r.query.includes('watch=true')).length;
  const opened = watches();
  api.dropWatches();
  t.equal(api.openWatches(), 0);
  api.add('batch/cronjobs', {
    metadata: { name: 'late', namespace: 'shop' },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [] } } } } },
  });
  t.ok(await eventually(() => names(informers).includes('CronJob shop/late')), 'the change made while away arrives');
  t.ok(await eventually(watching(api, BUILT_IN.length)), 'every watch reopened');
  t.ok(watches() >= opened + BUILT_IN.length);
  t.ok(names(informers).includes('Deployment shop/idle'), 'nothing lost');
});

t.test('a forbidden list is recorded, logged once, retried with backoff, and cleared once allowed', async (t) => {
  const { api, informers, warnings } = await start(t, (api) => {
    addOneOfEach(api, 'shop');
    api.fault(/^\/apis\/apps\/v1\/statefulsets/, { status: 403 });
  });
  t.ok(await eventually(() => informers.synced()), 'synced: the forbidden resource does not hold it back');
  t.same(
    informers.forbidden().map((r) => r.kind),
    ['StatefulSet'],
  );
  const lists = () => api.requests().filter((r) => r.path === '/apis/apps/v1/statefulsets').length;
  t.ok(await eventually(() => lists() >= 3), 'retried');
  t.same(warnings, ['workload list or watch forbidden; not audited'], 'logged once');
  t.notOk(names(informers).includes('StatefulSet shop/db'));
  api.clearFaults();
  t.ok(await eventually(() => informers.forbidden().length === 0), 'allowed again');
  t.ok(await eventually(() => names(informers).includes('StatefulSet shop/db')));
});

t.test('a refused watch counts as forbidden too', async (t) => {
  const { api, informers, warnings } = await start(t, (api) => {
    addOneOfEach(api, 'shop');
    api.fault(/^\/apis\/batch\/v1\/cronjobs\?.*watch=true/, { status: 403 });
  });
  t.ok(await eventually(() => informers.forbidden().length === 1));
  t.same(
    informers.forbidden().map((r) => r.kind),
    ['CronJob'],
  );
  t.ok(names(informers).includes('CronJob shop/nightly'), 'the listed objects stay: stale beats nothing');
  t.same(warnings, ['workload list or watch forbidden; not audited']);
  api.clearFaults();
  t.ok(await eventually(() => informers.forbidden().length === 0), 'cleared once a watch is accepted');
});

t.test('a custom resource the API server does not serve stops quietly', async (t) => {
  const { api, informers, warnings } = await start(t, (api) => addOneOfEach(api, 'shop'), { resources: RESOURCES });
  t.ok(await eventually(() => informers.synced()), 'synced');
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.equal(
    api.requests().filter((r) => r.path === '/apis/argoproj.io/v1alpha1/rollouts').length,
    1,
    'asked once, never retried',
  );
  t.same(informers.forbidden(), []);
  t.equal(informers.notServed().length, RESOURCES.length - BUILT_IN.length);
  t.ok(informers.notServed().some((r) => r.group === 'argoproj.io' && r.kind === 'Rollout'));
  t.same(warnings, []);
  t.equal(names(informers).length, 8);
});

t.test('at most maxObjects kept; the rest counted and logged once', async (t) => {
  const { api, informers, warnings } = await start(t, (api) => addOneOfEach(api, 'shop'), { maxObjects: 3 });
  t.ok(await eventually(() => informers.synced()));
  t.equal(names(informers).length, 3);
  t.ok(informers.capped());
  api.add('apps/deployments', deployment({ name: 'more', namespace: 'shop' }, 'registry.example/m:1'));
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.equal(names(informers).length, 3, 'a watched object past the cap is not kept');
  t.same(warnings, ['too many workload objects; the rest are not audited']);
});

t.test('listeners are called at most once per debounce interval', async (t) => {
  const { api, informers, changes } = await start(t, () => {}, { debounceMs: 400 });
  t.ok(await eventually(() => informers.synced() && changes() === 1 && api.openWatches() === BUILT_IN.length));
  await new Promise((resolve) => setTimeout(resolve, 450));
  for (let i = 0; i < 10; i++)
    api.add('apps/deployments', deployment({ name: `d${i}`, namespace: 'shop' }, 'registry.example/d:1'));
  t.ok(await eventually(() => names(informers).length === 10));
  t.ok(await eventually(() => changes() >= 2));
  await new Promise((resolve) => setTimeout(resolve, 450));
  t.ok(changes() <= 3, `${changes()} calls for 10 events`);
});

t.test('other failures are retried and logged with the resource, never a body', async (t) => {
  const { informers, warnings, details } = await start(t, (api) => {
    addOneOfEach(api, 'shop');
    api.fault(/^\/apis\/apps\/v1\/daemonsets/, { status: 503, times: 2 });
  });
  t.ok(await eventually(() => names(informers).includes('DaemonSet shop/agent')), 'listed after the retries');
  t.same(warnings, ['workload watch failed; retrying', 'workload watch failed; retrying']);
  t.match(details[0], { resource: 'daemonsets.apps', error: { message: 'unavailable: HTTP 503' }, retryInMs: 20 });
  t.match(details[1], { retryInMs: 40 }, 'the backoff doubles');
  t.same(informers.forbidden(), []);
});

t.test('stop leaves nothing running: no watch open, no request after it', async (t) => {
  const { api, informers, changes } = await start(t, (api) => {
    addOneOfEach(api, 'shop');
    api.fault(/^\/apis\/apps\/v1\/daemonsets/, { status: 503 });
  });
  t.ok(await eventually(watching(api, BUILT_IN.length - 1)));
  await informers.stop();
  await informers.stop();
  t.ok(await eventually(() => api.openWatches() === 0), 'every watch closed');
  const seen = api.requests().length;
  const called = changes();
  api.add('apps/deployments', deployment({ name: 'after', namespace: 'shop' }, 'registry.example/a:1'));
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.equal(api.requests().length, seen, 'no retry after stop');
  t.equal(changes(), called, 'no listener call after stop');
});
