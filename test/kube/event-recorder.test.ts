import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import { createEventRecorder, type EventRecorderOptions } from '../../src/kube/event-recorder.js';
import { startFakeKubeApi, type FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';

const web = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop', uid: 'uid-web-1' };
const T0 = Date.parse('2026-01-01T00:00:00Z');

async function setup(t: Test, extra: Partial<EventRecorderOptions> = {}) {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  let now = T0;
  const recorder = createEventRecorder({ kubeConfig, reportingInstance: 'pullguard-7d9', now: () => now, ...extra });
  const events = async (namespace = 'shop') =>
    (await kubeConfig.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace })).items;
  return { api, kubeConfig, recorder, events, later: (ms: number) => (now += ms) };
}

const methods = (api: FakeKubeApi) => api.requests().map((r) => `${r.method} ${r.path}`);

t.test('the first warning creates a full Warning Event on the object', async (t) => {
  const { recorder, events } = await setup(t);
  const outcome = await recorder.warn(web, 'ImageUnavailable', 'registry.example/web:1.2 not found');
  t.match(outcome, { status: 'created', name: /^web\.[0-9a-f]+$/ });
  const [event, ...rest] = await events();
  t.same(rest, []);
  t.same(event?.involvedObject, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'web',
    namespace: 'shop',
    uid: 'uid-web-1',
  });
  t.match(event, {
    reason: 'ImageUnavailable',
    message: 'registry.example/web:1.2 not found',
    type: 'Warning',
    source: { component: 'pullguard' },
    reportingComponent: 'pullguard',
    reportingInstance: 'pullguard-7d9',
    count: 1,
  });
  t.equal(event?.firstTimestamp?.toISOString(), '2026-01-01T00:00:00.000Z');
  t.equal(event?.lastTimestamp?.toISOString(), '2026-01-01T00:00:00.000Z');
});

t.test('a repeat patches count and lastTimestamp of the same Event; another message is another Event', async (t) => {
  const { api, recorder, events, later } = await setup(t);
  const first = await recorder.warn(web, 'ImageUnavailable', 'gone');
  later(60_000);
  const second = await recorder.warn(web, 'ImageUnavailable', 'gone');
  later(60_000);
  t.match(await recorder.warn(web, 'ImageUnavailable', 'gone'), { status: 'updated', count: 3 });
  t.match(second, { status: 'updated', count: 2, name: first.status === 'created' ? first.name : 'none' });
  await recorder.warn(web, 'ImageUnavailable', 'private now');
  const all = await events();
  t.same(all.map((e) => [e.message, e.count, e.firstTimestamp?.toISOString(), e.lastTimestamp?.toISOString()]).sort(), [
    ['gone', 3, '2026-01-01T00:00:00.000Z', '2026-01-01T00:02:00.000Z'],
    ['private now', 1, '2026-01-01T00:02:00.000Z', '2026-01-01T00:02:00.000Z'],
  ]);
  t.same(
    methods(api)
      .filter((m) => !m.startsWith('GET'))
      .map((m) => m.split(' ')[0]),
    ['POST', 'PATCH', 'PATCH', 'POST'],
  );
  t.ok(
    api
      .requests()
      .filter((r) => r.method === 'PATCH')
      .every((r) => r.path.startsWith('/api/v1/namespaces/shop/events/web.')),
  );
});

t.test('concurrent repeats of a new warning make one Event', async (t) => {
  const { recorder, events } = await setup(t);
  const outcomes = await Promise.all([1, 2, 3].map(() => recorder.warn(web, 'ImageUnavailable', 'gone')));
  t.same(
    outcomes.map((o) => o.status),
    ['created', 'updated', 'updated'],
  );
  t.same(
    (await events()).map((e) => e.count),
    [3],
  );
});

t.test('an Event the API server dropped is created again', async (t) => {
  const { api, recorder, events } = await setup(t);
  const first = await recorder.warn(web, 'ImageUnavailable', 'gone');
  if (first.status !== 'created') return t.fail(`not created: ${first.status}`);
  api.remove('events', 'shop', first.name); // its TTL ran out
  t.match(await recorder.warn(web, 'ImageUnavailable', 'gone'), { status: 'created', name: first.name });
  t.match(await events(), [{ count: 1 }]);
});

t.test('a new leader counts on the Event the previous one made, and makes no second one', async (t) => {
  const { kubeConfig, recorder, events } = await setup(t);
  await recorder.warn(web, 'ImageUnavailable', 'gone');
  const successor = createEventRecorder({ kubeConfig, reportingInstance: 'pullguard-8e0' });
  t.match(await successor.warn(web, 'ImageUnavailable', 'gone'), { status: 'updated', count: 2 });
  t.match(await events(), [{ count: 2 }]);
});

t.test('the message is cut to 1 KiB; a cluster-scoped object gets its Event in default', async (t) => {
  const { recorder, events } = await setup(t);
  await recorder.warn(web, 'ImageUnavailable', 'x'.repeat(5000));
  t.equal((await events())[0]?.message?.length, 1024);
  await recorder.warn({ apiVersion: 'v1', kind: 'Node', name: 'n1' }, 'ImageUnavailable', 'm');
  const [node] = await events('default');
  t.same(node?.involvedObject, { apiVersion: 'v1', kind: 'Node', name: 'n1' });
});

t.test('403 and an unreachable API are outcomes, not throws', async (t) => {
  const { api, recorder } = await setup(t, { requestTimeoutMs: 2_000 });
  api.fault(/\/events/, { status: 403 });
  t.same(await recorder.warn(web, 'ImageUnavailable', 'gone'), {
    status: 'error',
    kind: 'forbidden',
    detail: 'HTTP 403',
  });
  await api.close();
  t.match(await recorder.warn(web, 'ImageUnavailable', 'gone'), { status: 'error', kind: 'unavailable' });
});
