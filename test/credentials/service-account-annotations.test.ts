/**
 * The pod's ServiceAccount annotation keys for credential providers (src/credentials/credential-providers.ts), read
 * through @kubernetes/client-node from the fake Kubernetes API: for Pods too when asked, in the same read as a
 * template's pull secrets, and never claimed when the read fails.
 */
import t from 'tap';
import { buildPullCredentials, type BuildPullCredentialsOptions } from '../../src/credentials/pod-keychain.js';
import { createClusterReader } from '../../src/kube/cluster-reader.js';
import type { KubeAccess } from '../../src/kube/kube-config.js';
import type { FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { dockerConfigJsonSecret, basicAuth, PLANTED_PASSWORD, startKubeAccess } from '../kube/kube-fixtures.js';

let api: FakeKubeApi;
let kube: KubeAccess;

t.before(async () => {
  ({ api, kube } = await startKubeAccess());
  api.addSecret(dockerConfigJsonSecret('shop', 'regcred', { 'ghcr.io': basicAuth('shop-user', PLANTED_PASSWORD) }));
  api.addServiceAccount({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      namespace: 'shop',
      name: 'robot',
      annotations: { 'quay.io/robot': '', 'example.com/other': PLANTED_PASSWORD },
    },
    imagePullSecrets: [{ name: 'regcred' }],
  });
});

t.teardown(() => api.close());

function options(overrides: Partial<BuildPullCredentialsOptions>): BuildPullCredentialsOptions {
  return {
    namespace: 'shop',
    imagePullSecrets: [],
    serviceAccountName: 'robot',
    isTemplate: false,
    reader: createClusterReader(kube),
    signal: AbortSignal.timeout(5000),
    ...overrides,
  };
}

const accountReads = (from: number): number =>
  api
    .requests()
    .slice(from)
    .filter((r) => r.path.includes('/serviceaccounts/')).length;

t.test("a Pod's ServiceAccount is read for its annotation keys only when asked", async (t) => {
  let before = api.requests().length;
  const plain = await buildPullCredentials(options({}));
  t.equal(plain.serviceAccountAnnotations, undefined);
  t.equal(accountReads(before), 0, 'a Pod never reads its ServiceAccount otherwise');

  before = api.requests().length;
  const asked = await buildPullCredentials(options({ serviceAccountAnnotations: true, imagePullSecrets: ['regcred'] }));
  t.same(asked.serviceAccountAnnotations, { status: 'found', keys: new Set(['quay.io/robot', 'example.com/other']) });
  t.equal(accountReads(before), 1);
  t.equal(asked.credentialsFor('ghcr.io/x/y').length, 1, "the Pod's own secrets still count");
  t.notMatch(
    JSON.stringify([
      ...(asked.serviceAccountAnnotations?.status === 'found' ? asked.serviceAccountAnnotations.keys : []),
    ]),
    PLANTED_PASSWORD,
    'keys only, never values',
  );
});

t.test("a template's one ServiceAccount read gives both its pull secrets and its annotation keys", async (t) => {
  const before = api.requests().length;
  const template = await buildPullCredentials(options({ isTemplate: true, serviceAccountAnnotations: true }));
  t.equal(template.credentialsFor('ghcr.io/x/y').length, 1, "the service account's secret");
  t.match(template.serviceAccountAnnotations, { status: 'found' });
  t.equal(accountReads(before), 1, 'read once');
});

t.test('a missing ServiceAccount is not-found; a failed read claims nothing', async (t) => {
  const ghost = await buildPullCredentials(options({ serviceAccountName: 'ghost', serviceAccountAnnotations: true }));
  t.same(ghost.serviceAccountAnnotations, { status: 'not-found' });
  t.same(ghost.problems, [], 'a Pod gets no new finding for it');
  const invalid = await buildPullCredentials(
    options({ serviceAccountName: 'Not/Valid', serviceAccountAnnotations: true }),
  );
  t.same(invalid.serviceAccountAnnotations, { status: 'not-found' }, 'a name no ServiceAccount can have is never read');
  api.fault(/\/serviceaccounts\/robot$/, { status: 503, times: 1 });
  const failed = await buildPullCredentials(options({ serviceAccountAnnotations: true }));
  t.equal(failed.serviceAccountAnnotations, undefined);
  t.same(failed.problems, [], 'only a template reports its failed ServiceAccount read, as before');
});
