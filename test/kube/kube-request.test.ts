import { KubeConfig } from '@kubernetes/client-node';
import t from 'tap';
import { createKubeRequest } from '../../src/kube/kube-request.js';
import { startFakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';

t.test('answers are classified: ok, not-found, conflict, failures without their body', async (t) => {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  const request = createKubeRequest(kubeConfig, 500);
  const leases = '/apis/coordination.k8s.io/v1/namespaces/pg/leases';
  const created = await request('POST', leases, { metadata: { name: 'l' }, spec: { holderIdentity: 'a' } });
  t.match(created, { status: 'ok', value: { kind: 'Lease', spec: { holderIdentity: 'a' } } });
  t.same(await request('POST', leases, { metadata: { name: 'l' } }), { status: 'conflict' });
  t.same(await request('GET', `${leases}/absent`), { status: 'not-found' });
  t.match(await request('GET', '/api/v1/namespaces/pg/secrets'), {
    status: 'ok',
    value: { kind: 'SecretList', metadata: { resourceVersion: /^\d+$/ }, items: [] },
  });
  api.fault(/\/leases\/l$/, { status: 403, times: 1 });
  t.same(await request('GET', `${leases}/l`), { status: 'error', kind: 'forbidden', detail: 'HTTP 403' });
  api.fault(/\/leases\/l$/, { body: '[1,2]', times: 1 });
  t.same(await request('GET', `${leases}/l`), { status: 'error', kind: 'invalid', detail: 'unreadable response' });
  api.fault(/\/leases\/l$/, { hang: true, times: 1 });
  t.match(await request('GET', `${leases}/l`), { status: 'error', kind: 'timeout' });
  const caller = new AbortController();
  caller.abort();
  t.match(await request('GET', `${leases}/l`, undefined, undefined, caller.signal), {
    status: 'error',
    kind: 'timeout',
  });
});

t.test('a kubeconfig without a cluster is an invalid outcome, not a throw', async (t) => {
  const request = createKubeRequest(new KubeConfig(), 500);
  t.same(await request('GET', '/api/v1/namespaces'), {
    status: 'error',
    kind: 'invalid',
    detail: 'the kubeconfig names no cluster server',
  });
});
