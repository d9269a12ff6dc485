import t from 'tap';
import { createKubeClusterReader, createClusterReader } from '../../src/kube/cluster-reader.js';
import type { KubeAccess } from '../../src/kube/kube-config.js';
import { namespaceMode } from '../../src/kube/namespace-mode.js';
import type { FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import {
  PLANTED_PASSWORD,
  basicAuth,
  dockerConfigJsonSecret,
  serviceAccount,
  startKubeAccess,
} from './kube-fixtures.js';

let api: FakeKubeApi;
let kube: KubeAccess;

t.before(async () => {
  ({ api, kube } = await startKubeAccess());
  api.addSecret(dockerConfigJsonSecret('shop', 'regcred', { 'ghcr.io': basicAuth('u', PLANTED_PASSWORD) }));
  api.addServiceAccount({
    ...serviceAccount('shop', 'default', ['regcred']),
    imagePullSecrets: [{ name: 'regcred' }, {}],
  });
  api.addNamespace({ metadata: { name: 'shop', labels: { 'pullguard.io/mode': 'warn' } } });
  api.addNamespace({ metadata: { name: 'strict', labels: { 'pullguard.io/mode': 'enforce' } } });
  api.addNamespace({ metadata: { name: 'odd', labels: { 'pullguard.io/mode': 'WARN' } } });
  api.addNamespace({ metadata: { name: 'plain' } });
});
t.teardown(() => api.close());

const deadline = () => AbortSignal.timeout(5000);

t.test('reads the parts of Secrets, ServiceAccounts and Namespaces that matter', async (t) => {
  const reader = createKubeClusterReader(kube);
  t.match(await reader.getSecret('shop', 'regcred', deadline()), {
    status: 'found',
    value: { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': /^ey/ } },
  });
  t.same(await reader.getServiceAccount('shop', 'default', deadline()), {
    status: 'found',
    value: { imagePullSecrets: ['regcred', ''], annotationKeys: [] },
  });
  t.same(await reader.getNamespaceLabels('plain', deadline()), { status: 'found', value: {} });
  t.same(await reader.getSecret('shop', 'nope', deadline()), { status: 'not-found' });
  t.same(await reader.getServiceAccount('shop', 'nope', deadline()), { status: 'not-found' });
});

t.test('a malformed answer is invalid, and never echoed', async (t) => {
  const reader = createKubeClusterReader(kube);
  api.fault(/secrets\/regcred$/, {
    body: `{"kind":"Secret","data":{".dockerconfigjson":12},"x":"${PLANTED_PASSWORD}"}`,
    times: 1,
  });
  t.same(await reader.getSecret('shop', 'regcred', deadline()), {
    status: 'error',
    kind: 'invalid',
    detail: 'not a Secret',
  });
  api.fault(/secrets\/regcred$/, { body: `not json ${PLANTED_PASSWORD}`, times: 1 });
  const garbage = await reader.getSecret('shop', 'regcred', deadline());
  t.match(garbage, { status: 'error', kind: 'invalid' });
  t.notMatch(JSON.stringify(garbage), PLANTED_PASSWORD);
  api.fault(/secrets\/regcred$/, { status: 500, body: `{"message":"${PLANTED_PASSWORD}"}`, times: 1 });
  const failed = await reader.getSecret('shop', 'regcred', deadline());
  t.same(failed, { status: 'error', kind: 'unavailable', detail: 'HTTP 500' });
});

t.test('an API server that is gone is unavailable, quickly', async (t) => {
  const gone = await startKubeAccess();
  await gone.api.close();
  const result = await createKubeClusterReader(gone.kube).getSecret('shop', 'regcred', deadline());
  t.same(result, { status: 'error', kind: 'unavailable', detail: 'connection failed (ECONNREFUSED)' });
});

t.test('the request timeout bounds a read even without a caller deadline', async (t) => {
  const reader = createKubeClusterReader(kube, { requestTimeoutMs: 200 });
  api.fault(/secrets\/regcred$/, { hang: true, times: 1 });
  const started = performance.now();
  t.match(await reader.getSecret('shop', 'regcred', new AbortController().signal), {
    status: 'error',
    kind: 'timeout',
  });
  t.ok(performance.now() - started < 1500);
});

t.test('namespace mode comes from the pullguard.io/mode label, read once per TTL', async (t) => {
  const reader = createClusterReader(kube);
  const table: [string, string | undefined][] = [
    ['shop', 'warn'],
    ['strict', 'enforce'],
    ['odd', undefined],
    ['plain', undefined],
    ['missing', undefined],
  ];
  for (const [namespace, want] of table) t.equal(await namespaceMode(reader, namespace, deadline()), want, namespace);
  const before = api.requests().length;
  for (const [namespace] of table) await namespaceMode(reader, namespace, deadline());
  t.equal(api.requests().length, before, 'all answers (including the 404) came from the cache');
  api.fault(/namespaces\/forbidden$/, { status: 403, times: 1 });
  // "could not tell" is not "no label": the review softens denials for it (src/review/decide-stage.ts).
  await t.rejects(
    namespaceMode(reader, 'forbidden', deadline()),
    { name: 'NamespaceModeUnreadable', reason: 'forbidden' },
    'an unreadable namespace is an error, not "no label"',
  );
});

t.test('a name client-go refuses as a path segment is not found, without a request', async (t) => {
  const reader = createKubeClusterReader(kube);
  const before = api.requests().length;
  for (const name of ['.', '..', 'a/b', '%2e', '%2F', '']) {
    t.same(await reader.getSecret('shop', name, deadline()), { status: 'not-found' }, `secret ${JSON.stringify(name)}`);
    t.same(
      await reader.getServiceAccount('shop', name, deadline()),
      { status: 'not-found' },
      `service account ${JSON.stringify(name)}`,
    );
    t.same(
      await reader.getSecret(name, 'regcred', deadline()),
      { status: 'not-found' },
      `namespace ${JSON.stringify(name)}`,
    );
    t.same(
      await reader.getNamespaceLabels(name, deadline()),
      { status: 'not-found' },
      `namespace labels ${JSON.stringify(name)}`,
    );
  }
  t.same(api.requests().slice(before), [], 'nothing was asked');
  t.match(await reader.getSecret('shop', 'regcred', deadline()), { status: 'found' }, 'valid names still work');
});
