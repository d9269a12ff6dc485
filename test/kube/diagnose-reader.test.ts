import t from 'tap';
import { readFailingPod } from '../../src/diagnose/failing-containers.js';
import { MAX_EVENTS, readPullEvents } from '../../src/diagnose/pull-events.js';
import { createDiagnoseReader, escapeFieldValue } from '../../src/kube/diagnose-reader.js';
import type { KubeAccess } from '../../src/kube/kube-config.js';
import type { FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { startKubeAccess } from './kube-fixtures.js';

let api: FakeKubeApi;
let kube: KubeAccess;

const POD_UID = '6b1f2c3d-0000-4000-8000-00000000a1b2';
const WAITING_MESSAGE =
  'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": ' +
  'failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found';

function failingPod(namespace: string, name: string): object {
  return {
    metadata: { name, namespace, uid: POD_UID, labels: { app: 'web' } },
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx:1.99' }] },
    status: {
      phase: 'Pending',
      startTime: '2026-01-02T03:00:00Z',
      containerStatuses: [
        {
          name: 'app',
          image: 'nginx:1.99',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ImagePullBackOff', message: WAITING_MESSAGE } },
        },
      ],
    },
  };
}

function pullEvent(name: string, pod: string, uid: string): object {
  return {
    metadata: { name, namespace: 'shop' },
    involvedObject: {
      kind: 'Pod',
      name: pod,
      namespace: 'shop',
      uid,
      apiVersion: 'v1',
      fieldPath: 'spec.containers{app}',
    },
    reason: 'Failed',
    message: `Failed to pull image "nginx:1.99": ${WAITING_MESSAGE}`,
    source: { component: 'kubelet', host: 'n1' },
    firstTimestamp: '2026-01-02T03:00:01Z',
    lastTimestamp: '2026-01-02T03:04:05Z',
    count: 4,
    type: 'Warning',
  };
}

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

const deadline = () => AbortSignal.timeout(5000);
const queriesOf = (path: string) =>
  api
    .requests()
    .filter((r) => r.path === path)
    .map((r) => Object.fromEntries(new URLSearchParams(r.query)));

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
  const queries = queriesOf('/api/v1/namespaces/shop/pods');
  t.equal(queries.length, 2);
  t.same(queries[0], { limit: '1' });
  t.match(queries[1], { limit: '1', continue: /\w/ });

  const all = await createDiagnoseReader(kube).listPods(undefined, deadline());
  t.same(
    (all as { value: { items: { metadata: { name: string } }[] } }).value.items.map((p) => p.metadata.name),
    ['tool', 'web-1', 'web-2'],
  );
  t.same(queriesOf('/api/v1/pods').at(-1), { limit: '500' });
});

t.test("a pod's events: the field selector sent, the times kept as strings", async (t) => {
  const reader = createDiagnoseReader(kube);
  const result = await reader.listPodEvents({ namespace: 'shop', name: 'web-1', uid: POD_UID }, deadline());
  t.match(result, {
    status: 'found',
    value: { kind: 'EventList', items: [{ lastTimestamp: '2026-01-02T03:04:05Z' }] },
  });
  t.equal((result as { value: { items: unknown[] } }).value.items.length, 1, 'only the events of web-1');
  t.same(queriesOf('/api/v1/namespaces/shop/events').at(-1), {
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
    queriesOf('/api/v1/namespaces/shop/events').at(-1)?.['fieldSelector'],
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
  t.same(queriesOf('/apis/events.k8s.io/v1/namespaces/shop/events').at(-1), {
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

t.test('failures are classified: forbidden, unavailable, invalid, timeout', async (t) => {
  const reader = createDiagnoseReader(kube, { requestTimeoutMs: 200 });
  api.fault(/\/pods\/web-1$/, { status: 403, times: 1 });
  t.same(await reader.getPod('shop', 'web-1', deadline()), { status: 'error', kind: 'forbidden', detail: 'HTTP 403' });
  api.fault(/\/pods\/web-1$/, { status: 503, times: 1 });
  t.match(await reader.getPod('shop', 'web-1', deadline()), { status: 'error', kind: 'unavailable' });
  api.fault(/\/pods\/web-1$/, { body: 'not json', status: 200, times: 1 });
  t.match(await reader.getPod('shop', 'web-1', deadline()), { status: 'error', kind: 'invalid' });
  api.fault(/\/pods\/web-1$/, { body: '[1,2]', status: 200, times: 1 });
  t.match(await reader.getPod('shop', 'web-1', deadline()), { status: 'error', kind: 'invalid' });
  api.fault(/\/namespaces\/shop\/pods/, { body: '{"kind":"PodList"}', status: 200, times: 1 });
  t.match(await reader.listPods('shop', deadline()), { status: 'error', kind: 'invalid', detail: /items/ });
  api.fault(/\/pods\/web-1$/, { hang: true, times: 1 });
  const started = performance.now();
  t.same(await reader.getPod('shop', 'web-1', deadline()), {
    status: 'error',
    kind: 'timeout',
    detail: 'deadline reached',
  });
  t.ok(performance.now() - started < 3000, 'the request timeout bounds the hang');
  const aborted = AbortSignal.abort();
  t.match(await reader.listJobs('shop', aborted), { status: 'error', kind: 'timeout' });
  api.fault(/continue=/, { hang: true, times: 1 });
  t.match(
    await createDiagnoseReader(kube, { requestTimeoutMs: 200, pageSize: 1 }).listPods('shop', deadline()),
    { status: 'error', kind: 'timeout' },
    'a hang on a later page fails the list',
  );
});

t.test('paging stops once the cap is passed', async (t) => {
  for (let i = 0; i < MAX_EVENTS + 700; i++)
    api.addEvent(pullEvent(`many.${String(i).padStart(5, '0')}`, 'many', POD_UID));
  const reader = createDiagnoseReader(kube);
  const before = queriesOf('/api/v1/namespaces/shop/events').length;
  const result = await reader.listPodEvents({ namespace: 'shop', name: 'many' }, deadline());
  const items = (result as { value: { items: unknown[] } }).value.items;
  t.equal(items.length, MAX_EVENTS + 1, 'one past the cap, so the reader can say the list was cut');
  t.equal(queriesOf('/api/v1/namespaces/shop/events').length - before, Math.ceil((MAX_EVENTS + 1) / 500));
  t.equal(readPullEvents({ items }, { name: 'many' }, new Date()).truncated, true);
});
