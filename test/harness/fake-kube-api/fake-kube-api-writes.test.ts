import { CoordinationV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import { startFakeKubeApi } from './fake-kube-api.js';

async function clients(t: Test) {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  return { api, coordination: kc.makeApiClient(CoordinationV1Api), core: kc.makeApiClient(CoreV1Api) };
}

const lease = (holder: string) => ({
  metadata: { name: 'pullguard-audit' },
  spec: { holderIdentity: holder, leaseDurationSeconds: 15 },
});

t.test('a Lease is created once, then a second create is 409 AlreadyExists', async (t) => {
  const { coordination } = await clients(t);
  const created = await coordination.createNamespacedLease({ namespace: 'pg', body: lease('a') });
  t.equal(created.spec?.holderIdentity, 'a');
  t.equal(created.metadata?.namespace, 'pg');
  t.match(created.metadata?.resourceVersion, /^\d+$/);
  const read = await coordination.readNamespacedLease({ namespace: 'pg', name: 'pullguard-audit' });
  t.equal(read.spec?.holderIdentity, 'a');
  await t.rejects(coordination.createNamespacedLease({ namespace: 'pg', body: lease('b') }), {
    code: 409,
    body: /"reason":"AlreadyExists"/,
  });
  t.equal(
    (await coordination.readNamespacedLease({ namespace: 'pg', name: 'pullguard-audit' })).spec?.holderIdentity,
    'a',
  );
});

t.test('a Lease update needs the current resourceVersion: a stale one is 409 Conflict', async (t) => {
  const { coordination } = await clients(t);
  const created = await coordination.createNamespacedLease({ namespace: 'pg', body: lease('a') });
  const version = created.metadata?.resourceVersion ?? '';
  const updated = await coordination.replaceNamespacedLease({
    namespace: 'pg',
    name: 'pullguard-audit',
    body: { metadata: { name: 'pullguard-audit', resourceVersion: version }, spec: { holderIdentity: 'b' } },
  });
  t.equal(updated.spec?.holderIdentity, 'b');
  t.equal(updated.metadata?.uid, created.metadata?.uid, 'the uid stays the server’s');
  t.not(updated.metadata?.resourceVersion, version);
  await t.rejects(
    coordination.replaceNamespacedLease({
      namespace: 'pg',
      name: 'pullguard-audit',
      body: { metadata: { name: 'pullguard-audit', resourceVersion: version }, spec: { holderIdentity: 'c' } },
    }),
    { code: 409, body: /"reason":"Conflict"/ },
  );
  await t.rejects(
    coordination.replaceNamespacedLease({ namespace: 'pg', name: 'absent', body: { metadata: { name: 'absent' } } }),
    { code: 404 },
  );
  t.equal(
    (await coordination.readNamespacedLease({ namespace: 'pg', name: 'pullguard-audit' })).spec?.holderIdentity,
    'b',
  );
});

t.test('an Event is created, then merge-patched; other writes stay 405', async (t) => {
  const { api, core } = await clients(t);
  const body = {
    metadata: { name: 'web.1' },
    involvedObject: { kind: 'Deployment', name: 'web', namespace: 'shop' },
    reason: 'ImageUnavailable',
    count: 1,
    lastTimestamp: new Date('2026-01-01T00:00:00Z'),
  };
  await core.createNamespacedEvent({ namespace: 'shop', body });
  const patched = await core.patchNamespacedEvent(
    {
      namespace: 'shop',
      name: 'web.1',
      body: { count: 2, lastTimestamp: '2026-01-01T00:10:00Z', series: { count: 2 } },
    },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );
  t.equal(patched.count, 2);
  t.equal(patched.reason, 'ImageUnavailable', 'fields the patch does not name stay');
  t.equal(patched.lastTimestamp?.toISOString(), '2026-01-01T00:10:00.000Z');
  t.same(patched.series, { count: 2 });
  await t.rejects(core.createNamespacedEvent({ namespace: 'shop', body }), { code: 409 });
  await t.rejects(
    core.patchNamespacedEvent(
      { namespace: 'shop', name: 'web.1', body: [{ op: 'replace', path: '/count', value: 3 }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    ),
    { code: 415 },
  );
  await t.rejects(core.createNamespacedServiceAccount({ namespace: 'shop', body: { metadata: { name: 's' } } }), {
    code: 405,
  });
  await t.rejects(core.deleteNamespacedEvent({ namespace: 'shop', name: 'web.1' }), { code: 405 });
  const events = await core.listNamespacedEvent({ namespace: 'shop' });
  t.same(
    events.items.map((e) => [e.metadata.name, e.count]),
    [['web.1', 2]],
  );
  t.same(
    api.requests().map((r) => r.method),
    ['POST', 'PATCH', 'POST', 'PATCH', 'POST', 'DELETE', 'GET'],
  );
});
