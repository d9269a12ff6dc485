import t from 'tap';
import { MAX_EVENTS, readPullEvents } from '../../src/diagnose/pull-events.js';
import { createDiagnoseReader } from '../../src/kube/diagnose-reader.js';
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
  api.add('batch/jobs', { metadata: { name: 'once', namespace: 'shop' } });
});
t.teardown(() => api.close());
t.beforeEach(() => api.clearFaults());

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
  const before = queriesOf(api, '/api/v1/namespaces/shop/events').length;
  const result = await reader.listPodEvents({ namespace: 'shop', name: 'many' }, deadline());
  const items = (result as { value: { items: unknown[] } }).value.items;
  t.equal(items.length, MAX_EVENTS + 1, 'one past the cap, so the reader can say the list was cut');
  t.equal(queriesOf(api, '/api/v1/namespaces/shop/events').length - before, Math.ceil((MAX_EVENTS + 1) / 500));
  t.equal(readPullEvents({ items }, { name: 'many' }, new Date()).truncated, true);
});
