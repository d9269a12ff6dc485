import t from 'tap';
import { readFailingPod } from '../../src/diagnose/failing-containers.js';
import { readPullEvents } from '../../src/diagnose/pull-events.js';
import { createDiagnoseReader, escapeFieldValue } from '../../src/kube/diagnose-reader.js';
import type { KubeAccess } from '../../src/kube/kube-config.js';
import type { FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { POD_UID, failingPod, pullEvent, deadline, queriesOf } from './diagnose-fixtures.js';
import { startKubeAccess } from './kube-fixtures.js';

let api: FakeKubeApi;
let kube: KubeAccess;

t.before(async () => {
  ({ api, kube } = await startKubeAccess());
  api.addPod(failingPod('shop', 'web-1'));
  api.addPod(failingPod('shop', 'web-2'));
  api.addPod(failingPod('ops', 'tool'));
  api.addEvent(pullEvent('web-1.1', 'web-1', POD_UID));
  api.addEvent(pullEvent('web-2.1', 'web-2', POD_UID));
  api.add('events.k8s.io/events', {
    metadata: { name: 'web-1.2', namespace: 'shop' },
    regarding: { kind: 'Pod', name: 'web-1', namespace: 'shop', uid: POD_UID, fieldPath: 'spec.containers{app}' },
    reason: 'BackOff',
    note: 'Back-off pulling image "nginx:1.99"',
    reportingController: 'kubelet',
    reportingInstance: 'n1',
    eventTime: '2026-01-02T03:05:00.000000Z',
    series: { count: 9, lastObservedTime: '2026-01-02T03:06:00.000000Z' },
  });
  api.addNode({ metadata: { name: 'n1', labels: { 'kubernetes.io/arch': 'arm64' } } });
  for (const [resource, name] of [
    ['apps/deployments', 'web'],
    ['apps/statefulsets', 'db'],
    ['apps/daemonsets', 'agent'],
    ['apps/replicasets', 'web-7d9'],
    ['batch/jobs', 'once'],
    ['batch/cronjobs', 'nightly'],
  ] as const) {
    api.add(resource, { metadata: { name, namespace: 'shop', creationTimestamp: '2026-01-01T00:00:00Z' } });
  }
});
t.teardown(() => api.close());
t.beforeEach(() => api.clearFaults());

t.test('a pod comes back as the wire JSON, readable by the diagnose readers', async (t) => {
  const reader = createDiagnoseReader(kube);
  const result = await reader.getPod('shop', 'web-1', deadline());
  if (result.status !== 'found') throw new Error(`expected the pod, got ${JSON.stringify(result)}`);
  t.equal(Object.getPrototypeOf(result.value), Object.prototype, 'a plain object, not a model class');
  t.match(result.value, { apiVersion: 'v1', kind: 'Pod', status: { startTime: '2026-01-02T03:00:00Z' } });
  t.match(readFailingPod(result.value), {
    ok: true,
    pod: { name: 'web-1', uid: POD_UID, nodeName: 'n1', containers: [{ name: 'app', reason: 'ImagePullBackOff' }] },
  });
  t.same(await reader.getPod('shop', 'nope', deadline()), { status: 'not-found' });
  t.match(await reader.getNode('n1', deadline()), { status: 'found', value: { kind: 'Node' } });
});

t.test('names that are not path segments are not found without a request', async (t) => {
  const reader = createDiagnoseReader(kube);
  const before = api.requests().length;
  for (const bad of ['', '.', '..', 'a/b', '%2e']) {
    t.same(await reader.getPod('shop', bad, deadline()), { status: 'not-found' }, `pod ${JSON.stringify(bad)}`);
    t.same(await reader.getPod(bad, 'web-1', deadline()), { status: 'not-found' });
    t.same(await reader.getWorkload('deployment', 'shop', bad, deadline()), { status: 'not-found' });
    t.same(await reader.listPods(bad, deadline()), { status: 'not-found' });
    t.same(await reader.listJobs(bad, deadline()), { status: 'not-found' });
    t.same(await reader.listPodEvents({ namespace: 'shop', name: bad }, deadline()), { status: 'not-found' });
    t.same(await reader.getNode(bad, deadline()), { status: 'not-found' });
  }
  t.equal(api.requests().length, before);
});

t.test('workloads are read from apps/v1 and batch/v1', async (t) => {
  const reader = createDiagnoseReader(kube);
  const kinds = [
    ['deployment', 'web', 'Deployment'],
    ['statefulset', 'db', 'StatefulSet'],
    ['daemonset', 'agent', 'DaemonSet'],
    ['replicaset', 'web-7d9', 'ReplicaSet'],
    ['job', 'once', 'Job'],
    ['cronjob', 'nightly', 'CronJob'],
  ] as const;
  for (const [kind, name, wireKind] of kinds) {
    t.match(await reader.getWorkload(kind, 'shop', name, deadline()), {
      status: 'found',
      value: { kind: wireKind, metadata: { name, creationTimestamp: '2026-01-01T00:00:00Z' } },
    });
  }
  t.same(await reader.getWorkload('job', 'shop', 'web', deadline()), { status: 'not-found' });
  t.match(await reader.listReplicaSets('shop', deadline()), {
    status: 'found',
    value: { kind: 'ReplicaSetList', items: [{ metadata: { name: 'web-7d9' } }] },
  });
  t.match(await reader.listJobs('shop', deadline()), { status: 'found', value: { kind: 'JobList', items: [{}] } });
});

t.test('lists are paged with limit and continue, into one List', async (t) => {
  const reader = createDiagnoseReader(kube, { pageSize: 1 });
  const result = await reader.listPods('shop', deadline());
  t.match(result, { status: 'found', value: { apiVersion: 'v1', kind: 'PodList' } });
  const value = (result as { value: { items: { metadata: { name: string } }[]; metadata: object } }).value;
  t.same(
    value.items.map((p) => p.metadata.name),
    ['web-1', 'web-2'],
  );
  t.notOk('continue' in value.metadata, 'the merged list has no continue token');
  const queries = queriesOf(api, '/api/v1/namespaces/shop/pods');
  t.equal(queries.length, 2);
  t.same(queries[0], { limit: '1' });
  t.match(queries[1], { limit: '1', continue: /\w/ });

  const all = await createDiagnoseReader(kube).listPods(undefined, deadline());
  t.same(
    (all as { value: { items: { metadata: { name: string } }[] } }).value.items.map((p) => p.metadata.name),
    ['tool', 'web-1', 'web-2'],
  );
  t.same(queriesOf(api, '/api/v1/pods').at(-1), { limit: '500' });
});

t.test("a pod's events: the field selector sent, the times kept as strings", async (t) => {
  const reader = createDiagnoseReader(kube);
  const result = await reader.listPodEvents({ namespace: 'shop', name: 'web-1', uid: POD_UID }, deadline());
  t.match(result, {
    status: 'found',
    value: { kind: 'EventList', items: [{ lastTimestamp: '2026-01-02T03:04:05Z' }] },
  });
  t.equal((result as { value: { items: unknown[] } }).value.items.length, 1, 'only the events of web-1');
  t.same(queriesOf(api, '/api/v1/namespaces/shop/events').at(-1), {
    fieldSelector: `involvedObject.kind=Pod,involvedObject.name=web-1,involvedObject.namespace=shop,involvedObject.uid=${POD_UID}`,
    limit: '500',
  });
  const reading = readPullEvents(
    (result as { value: unknown }).value,
    { name: 'web-1', namespace: 'shop' },
    new Date(),
  );
  t.match(reading.containers, [
    { name: 'app', failed: { count: 4, lastSeen: '2026-01-02T03:04:05.000Z', host: 'n1' } },
  ]);

  await reader.listPodEvents({ namespace: 'shop', name: 'web-1', uid: 'x,involvedObject.name=web-2' }, deadline());
  t.same(
    queriesOf(api, '/api/v1/namespaces/shop/events').at(-1)?.['fieldSelector'],
    'involvedObject.kind=Pod,involvedObject.name=web-1,involvedObject.namespace=shop',
    'a uid that is not one is left out of the selector',
  );
  t.equal(escapeFieldValue('a,b=c\\d'), 'a\\,b\\=c\\\\d');
});

t.test('when core/v1 events are forbidden, events.k8s.io/v1 is asked', async (t) => {
  const reader = createDiagnoseReader(kube);
  api.fault(/^\/api\/v1\/namespaces\/shop\/events/, { status: 403 });
  const result = await reader.listPodEvents({ namespace: 'shop', name: 'web-1', uid: POD_UID }, deadline());
  t.match(result, {
    status: 'found',
    value: { apiVersion: 'events.k8s.io/v1', items: [{ series: { lastObservedTime: '2026-01-02T03:06:00.000000Z' } }] },
  });
  t.same(queriesOf(api, '/apis/events.k8s.io/v1/namespaces/shop/events').at(-1), {
    fieldSelector: `regarding.kind=Pod,regarding.name=web-1,regarding.namespace=shop,regarding.uid=${POD_UID}`,
    limit: '500',
  });
  const reading = readPullEvents(
    (result as { value: unknown }).value,
    { name: 'web-1', namespace: 'shop' },
    new Date(),
  );
  t.match(reading.containers, [{ name: 'app', backOff: { count: 9, lastSeen: '2026-01-02T03:06:00.000Z' } }]);

  api.fault(/^\/apis\/events\.k8s\.io\//, { status: 404 });
  t.match(await reader.listPodEvents({ namespace: 'shop', name: 'web-1' }, deadline()), {
    status: 'error',
    kind: 'forbidden',
    detail: 'HTTP 403',
  });
});
