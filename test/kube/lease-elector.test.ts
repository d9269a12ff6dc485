import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import { startLeaseElector, type LeaseElectorOptions } from '../../src/kube/lease-elector.js';
import { startFakeKubeApi, type FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';

const LEASE_PATH = /\/apis\/coordination\.k8s\.io\/v1\/namespaces\/pg\/leases/;
const RETRY_MS = 300;

async function fakeApi(t: Test): Promise<{ api: FakeKubeApi; kubeConfig: KubeConfig }> {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  return { api, kubeConfig };
}

function start(t: Test, kubeConfig: KubeConfig, identity: string, extra: Partial<LeaseElectorOptions> = {}) {
  const lines: string[] = [];
  const calls: string[] = [];
  const elector = startLeaseElector({
    kubeConfig,
    namespace: 'pg',
    name: 'pullguard-audit',
    identity,
    leaseDurationSeconds: 2,
    renewDeadlineSeconds: 1.2,
    retryPeriodSeconds: RETRY_MS / 1000,
    onStartedLeading: () => calls.push('started'),
    onStoppedLeading: () => calls.push('stopped'),
    log: { info: (_, m) => lines.push(`info ${m}`), warn: (_, m) => lines.push(`warn ${m}`) },
    ...extra,
  });
  t.teardown(() => elector.stop());
  return { elector, lines, calls };
}

async function until(what: string, condition: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function holder(kubeConfig: KubeConfig): Promise<unknown> {
  const api = kubeConfig.makeApiClient(CoordinationV1Api);
  return (await api.readNamespacedLease({ namespace: 'pg', name: 'pullguard-audit' })).spec;
}

t.test('one elector creates the Lease and leads', async (t) => {
  const { api, kubeConfig } = await fakeApi(t);
  const a = start(t, kubeConfig, 'pod-a');
  await until('a leads', () => a.elector.isLeader());
  t.same(a.calls, ['started']);
  t.match(await holder(kubeConfig), { holderIdentity: 'pod-a', leaseDurationSeconds: 2, leaseTransitions: 0 });
  t.ok(
    api.requests().some((r) => r.method === 'POST' && LEASE_PATH.test(r.path)),
    'created through the API',
  );
  await sleep(RETRY_MS * 3);
  t.ok(api.requests().filter((r) => r.method === 'PUT').length >= 2, 'renewed by updates');
});

t.test('two electors elect exactly one; stopping it hands over within one retry period', async (t) => {
  const { kubeConfig } = await fakeApi(t);
  const a = start(t, kubeConfig, 'pod-a');
  const b = start(t, kubeConfig, 'pod-b');
  await until('one leads', () => a.elector.isLeader() || b.elector.isLeader());
  for (let i = 0; i < 10; i++) {
    t.equal([a.elector.isLeader(), b.elector.isLeader()].filter(Boolean).length, 1, 'exactly one leader');
    await sleep(100);
  }
  const [leader, follower] = a.elector.isLeader() ? [a, b] : [b, a];
  await leader.elector.stop();
  t.same(leader.calls, ['started', 'stopped']);
  t.match(await holder(kubeConfig), { holderIdentity: '', leaseDurationSeconds: 1 });
  const released = Date.now();
  await until('the other leads', () => follower.elector.isLeader(), RETRY_MS + 400);
  t.ok(Date.now() - released < RETRY_MS + 400, 'taken over at the next try');
  t.match(await holder(kubeConfig), { leaseTransitions: 1, leaseDurationSeconds: 2 });
});

t.test('a Lease taken by someone else ends leadership', async (t) => {
  const { api, kubeConfig } = await fakeApi(t);
  const a = start(t, kubeConfig, 'pod-a');
  await until('a leads', () => a.elector.isLeader());
  api.add('coordination.k8s.io/leases', {
    metadata: { name: 'pullguard-audit', namespace: 'pg' },
    spec: { holderIdentity: 'intruder', leaseDurationSeconds: 60, leaseTransitions: 5 },
  });
  await until('a stops leading', () => a.calls.includes('stopped'));
  t.notOk(a.elector.isLeader());
  await sleep(RETRY_MS * 3);
  t.match(await holder(kubeConfig), { holderIdentity: 'intruder' }, 'a valid Lease of another is left alone');
});

t.test('403 on the Lease: follower, one log line', async (t) => {
  const { api, kubeConfig } = await fakeApi(t);
  api.fault(LEASE_PATH, { status: 403 });
  const a = start(t, kubeConfig, 'pod-a');
  await until('several tries', () => api.requests().length >= 4);
  t.notOk(a.elector.isLeader());
  t.same(a.calls, []);
  t.equal(a.lines.length, 1);
  t.match(a.lines[0], /no access to the Lease \(RBAC: get, create, update on coordination\.k8s\.io leases\)/);
});

t.test('an unreachable API: follower, one log line', async (t) => {
  const { api, kubeConfig } = await fakeApi(t);
  await api.close();
  const a = start(t, kubeConfig, 'pod-a');
  await sleep(RETRY_MS * 4);
  t.notOk(a.elector.isLeader());
  t.same(a.calls, []);
  t.same(a.lines, ['warn leader election: the Lease could not be read or written; staying follower']);
});

t.test('timings client-go refuses leave it a follower that never asks the API', async (t) => {
  const { api, kubeConfig } = await fakeApi(t);
  const a = start(t, kubeConfig, 'pod-a', { leaseDurationSeconds: 1, renewDeadlineSeconds: 1 });
  const b = start(t, kubeConfig, '', {});
  await sleep(RETRY_MS * 2);
  t.notOk(a.elector.isLeader());
  t.same(a.lines, ['warn leader election off: leaseDurationSeconds must be greater than renewDeadlineSeconds']);
  t.same(b.lines, ['warn leader election off: the identity must not be empty']);
  const c = start(t, kubeConfig, 'pod-c', { leaseDurationSeconds: 2.5 });
  t.same(c.lines, [
    'warn leader election off: leaseDurationSeconds must be a whole number (the Lease field is an integer)',
  ]);
  t.same(api.requests(), []);
});
