import t from 'tap';
import {
  buildPullCredentials,
  credentialsUncertain,
  type BuildPullCredentialsOptions,
} from '../../src/credentials/pod-keychain.js';
import { createKeyring } from '../../src/credentials/keyring.js';
import type { ClusterReader } from '../../src/credentials/cluster-port.js';
import { createClusterReader } from '../../src/kube/cluster-reader.js';
import type { KubeAccess } from '../../src/kube/kube-config.js';
import type { FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import {
  PLANTED_PASSWORD,
  b64,
  basicAuth,
  dockerConfigJsonSecret,
  dockercfgSecret,
  serviceAccount,
  startKubeAccess,
} from '../kube/kube-fixtures.js';

let api: FakeKubeApi;
let kube: KubeAccess;

t.before(async () => {
  ({ api, kube } = await startKubeAccess());
  api.addSecret(dockerConfigJsonSecret('shop', 'regcred', { 'ghcr.io': basicAuth('shop-user', PLANTED_PASSWORD) }));
  api.addSecret(
    dockercfgSecret('shop', 'legacy', {
      'https://registry.example.com/team': { username: 'legacy-user', password: PLANTED_PASSWORD },
    }),
  );
  api.addSecret(
    dockerConfigJsonSecret('shop', 'sa-cred', {
      'https://index.docker.io/v1/': basicAuth('sa-user', PLANTED_PASSWORD),
    }),
  );
  api.addSecret(dockerConfigJsonSecret('shop', 'broken', { 'ghcr.io': { auth: b64(`no-colon-${PLANTED_PASSWORD}`) } }));
  api.addSecret({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'opaque', namespace: 'shop' },
    type: 'Opaque',
    stringData: { '.dockerconfigjson': '{}' },
  });
  api.addSecret(
    dockerConfigJsonSecret('other', 'only-there', { 'ghcr.io': basicAuth('other-user', PLANTED_PASSWORD) }),
  );
  api.addServiceAccount(serviceAccount('shop', 'default', ['sa-cred']));
  api.addServiceAccount(serviceAccount('shop', 'builder', ['regcred', 'missing-from-sa']));
  api.addServiceAccount(serviceAccount('shop', 'odd-names', ['.', 'regcred', '..']));
  // Served only if something asked for it: what `…/secrets/.` or `…/secrets/..` would resolve to.
  api.addNamespace({ metadata: { name: 'shop' } });
});

t.teardown(() => api.close());

/** A fresh (empty-cache) reader per test, so request counts are per test. */
const freshReader = (): ClusterReader => createClusterReader(kube);

function options(overrides: Partial<BuildPullCredentialsOptions>): BuildPullCredentialsOptions {
  return {
    namespace: 'shop',
    imagePullSecrets: [],
    serviceAccountName: '',
    isTemplate: false,
    reader: freshReader(),
    signal: AbortSignal.timeout(5000),
    ...overrides,
  };
}

const summary = (creds: readonly { username: string; source: string }[]) =>
  creds.map((c) => `${c.username}@${c.source}`);

t.test('a pod with a working secret gets its credentials, marked with their source', async (t) => {
  const keychain = await buildPullCredentials(options({ imagePullSecrets: ['regcred'] }));
  t.same(keychain.problems, []);
  t.same(keychain.secretSources, ['secret shop/regcred']);
  const [credential] = keychain.credentialsFor('ghcr.io/shop/app');
  t.same(credential, { username: 'shop-user', password: PLANTED_PASSWORD, source: 'secret shop/regcred' });
  t.same(keychain.credentialsFor('docker.io/library/nginx'), [], 'no match: anonymous');
});

t.test('a legacy .dockercfg secret with an https:// key matches by host and path prefix', async (t) => {
  const keychain = await buildPullCredentials(options({ imagePullSecrets: ['legacy'] }));
  t.same(summary(keychain.credentialsFor('registry.example.com/team/app')), ['legacy-user@secret shop/legacy']);
  t.same(keychain.credentialsFor('registry.example.com/other/app'), []);
});

t.test("a template with no pull secrets uses its service account's", async (t) => {
  const keychain = await buildPullCredentials(options({ isTemplate: true }));
  t.same(keychain.problems, []);
  t.same(summary(keychain.credentialsFor('docker.io/library/nginx')), ['sa-user@secret shop/sa-cred']);
  const named = await buildPullCredentials(options({ isTemplate: true, serviceAccountName: 'builder' }));
  t.same(summary(named.credentialsFor('ghcr.io/x/y')), ['shop-user@secret shop/regcred']);
  t.same(named.problems, [{ kind: 'missingPullSecret', secret: 'shop/missing-from-sa', why: 'not-found' }]);
});

t.test("a template's own pull secrets replace the service account's, which is then not read", async (t) => {
  const before = api.requests().length;
  const keychain = await buildPullCredentials(options({ isTemplate: true, imagePullSecrets: ['regcred'] }));
  t.same(keychain.credentialsFor('docker.io/library/nginx'), [], 'sa-cred not merged');
  t.same(summary(keychain.credentialsFor('ghcr.io/x/y')), ['shop-user@secret shop/regcred']);
  t.notOk(
    api
      .requests()
      .slice(before)
      .some((r) => r.path.includes('/serviceaccounts/')),
  );
  const emptyName = await buildPullCredentials(options({ isTemplate: true, imagePullSecrets: [''] }));
  t.same(emptyName.credentialsFor('docker.io/library/nginx'), [], 'an empty name still counts as listing secrets');
  t.notOk(
    api
      .requests()
      .slice(before)
      .some((r) => r.path.includes('/serviceaccounts/')),
  );
});

t.test('a Pod never reads its service account (the admission plugin already copied the secrets)', async (t) => {
  const before = api.requests().length;
  const keychain = await buildPullCredentials(options({ isTemplate: false, serviceAccountName: 'default' }));
  t.same(keychain.credentialsFor('docker.io/library/nginx'), []);
  t.same(api.requests().slice(before), []);
});

t.test('missing and wrong-type secrets are skipped with a finding; the rest still count', async (t) => {
  const keychain = await buildPullCredentials(options({ imagePullSecrets: ['nope', 'opaque', 'regcred'] }));
  t.same(keychain.problems, [
    { kind: 'missingPullSecret', secret: 'shop/nope', why: 'not-found' },
    { kind: 'missingPullSecret', secret: 'shop/opaque', why: 'wrong-type', type: 'Opaque' },
  ]);
  t.same(summary(keychain.credentialsFor('ghcr.io/x/y')), ['shop-user@secret shop/regcred']);
});

t.test('an undecodable auth is an invalidPullSecret naming the secret, without the secret', async (t) => {
  const keychain = await buildPullCredentials(options({ imagePullSecrets: ['broken', 'regcred'] }));
  t.same(keychain.problems, [
    {
      kind: 'invalidPullSecret',
      secret: 'shop/broken',
      problem: `.dockerconfigjson: entry "ghcr.io": auth has no ':' (expected base64 of username:password)`,
    },
  ]);
  t.notMatch(JSON.stringify(keychain.problems), PLANTED_PASSWORD);
  t.notMatch(JSON.stringify(keychain.problems), b64(`no-colon-${PLANTED_PASSWORD}`));
});

t.test('a secret of the same name in another namespace is not used', async (t) => {
  const keychain = await buildPullCredentials(options({ imagePullSecrets: ['only-there'] }));
  t.same(keychain.problems, [{ kind: 'missingPullSecret', secret: 'shop/only-there', why: 'not-found' }]);
  t.same(keychain.credentialsFor('ghcr.io/x/y'), []);
});

t.test("secrets are read only in the pod's namespace, also when they come from its service account", async (t) => {
  const before = api.requests().length;
  const pod = await buildPullCredentials(options({ namespace: 'shop', imagePullSecrets: ['only-there', 'regcred'] }));
  const template = await buildPullCredentials(
    options({ namespace: 'shop', isTemplate: true, serviceAccountName: 'builder' }),
  );
  t.same(summary(pod.credentialsFor('ghcr.io/x/y')), ['shop-user@secret shop/regcred']);
  t.same(summary(template.credentialsFor('ghcr.io/x/y')), ['shop-user@secret shop/regcred']);
  const paths = api
    .requests()
    .slice(before)
    .map((r) => r.path);
  t.ok(paths.length >= 3);
  t.same(
    paths.filter((path) => !path.startsWith('/api/v1/namespaces/shop/')),
    [],
    'no request outside namespace shop',
  );
  const other = await buildPullCredentials(options({ namespace: 'other', imagePullSecrets: ['regcred'] }));
  t.same(
    other.problems,
    [{ kind: 'missingPullSecret', secret: 'other/regcred', why: 'not-found' }],
    'shop/regcred does not answer for other/',
  );
});

t.test('a name no Secret can have is missing, never read, never a list URL', async (t) => {
  // A get-only ClusterRole answers the list URL with 403: had `.` become `…/secrets/`, the secret would be unreadable.
  api.fault(/\/secrets\/?$/, { status: 403 });
  t.teardown(() => api.clearFaults());
  const names = ['.', '..', 'a/b', '%2e', '..%2f', 'Regcred', 'ex_ample', `${'a'.repeat(254)}`, 'regcred'];
  const before = api.requests().length;
  const keychain = await buildPullCredentials(options({ imagePullSecrets: names }));
  t.same(
    keychain.problems,
    names.slice(0, -1).map((name) => ({ kind: 'missingPullSecret', secret: `shop/${name}`, why: 'invalid-name' })),
  );
  t.same(
    summary(keychain.credentialsFor('ghcr.io/x/y')),
    ['shop-user@secret shop/regcred'],
    'the valid one still counts',
  );
  t.same(
    api
      .requests()
      .slice(before)
      .map((r) => r.path),
    ['/api/v1/namespaces/shop/secrets/regcred'],
    'only the valid name was read',
  );
  const again = await buildPullCredentials(options({ imagePullSecrets: names }));
  t.same(again.problems, keychain.problems);

  const fromAccount = await buildPullCredentials(options({ isTemplate: true, serviceAccountName: 'odd-names' }));
  t.same(fromAccount.problems, [
    { kind: 'missingPullSecret', secret: 'shop/.', why: 'invalid-name' },
    { kind: 'missingPullSecret', secret: 'shop/..', why: 'invalid-name' },
  ]);
  t.same(summary(fromAccount.credentialsFor('ghcr.io/x/y')), ['shop-user@secret shop/regcred']);

  const offline = await buildPullCredentials({ ...options({ imagePullSecrets: ['.', 'regcred'] }), reader: undefined });
  t.same(
    offline.problems,
    [{ kind: 'missingPullSecret', secret: 'shop/.', why: 'invalid-name' }],
    'known without reading',
  );
  t.same(offline.unreadSecrets, ['shop/regcred']);
});

t.test("a template's service account with a name no ServiceAccount can have is missing, never read", async (t) => {
  const before = api.requests().length;
  for (const name of ['.', '..', 'a/b', '%2e', 'Builder']) {
    const keychain = await buildPullCredentials(options({ isTemplate: true, serviceAccountName: name }));
    t.same(keychain.problems, [{ kind: 'missingServiceAccount', serviceAccount: `shop/${name}` }], name);
  }
  t.same(api.requests().slice(before), [], 'no request at all');
});

t.test(
  'a template whose raw list has entries, even unnamed ones, gets none of the service account secrets',
  async (t) => {
    const before = api.requests().length;
    const listed = await buildPullCredentials(
      options({ isTemplate: true, imagePullSecrets: [], listsImagePullSecrets: true }),
    );
    t.same(listed.credentialsFor('docker.io/library/nginx'), [], 'sa-cred not used');
    t.same(listed.problems, []);
    t.same(api.requests().slice(before), [], 'the service account was not read');
    const unlisted = await buildPullCredentials(
      options({ isTemplate: true, imagePullSecrets: [], listsImagePullSecrets: false }),
    );
    t.same(summary(unlisted.credentialsFor('docker.io/library/nginx')), ['sa-user@secret shop/sa-cred']);
  },
);

t.test("a template's missing service account is a finding", async (t) => {
  const keychain = await buildPullCredentials(options({ isTemplate: true, serviceAccountName: 'ghost' }));
  t.same(keychain.problems, [{ kind: 'missingServiceAccount', serviceAccount: 'shop/ghost' }]);
});

t.test('the static docker config comes after the pod secrets', async (t) => {
  const staticKeyring = createKeyring([
    { key: 'ghcr.io', username: 'node-user', password: 'x', source: 'docker config' },
  ]);
  const keychain = await buildPullCredentials(options({ imagePullSecrets: ['regcred'], staticKeyring }));
  t.same(summary(keychain.credentialsFor('ghcr.io/x/y')), ['shop-user@secret shop/regcred', 'node-user@docker config']);
});

t.test('without a reader only the static config counts, and unread secrets are reported', async (t) => {
  const keychain = await buildPullCredentials({ ...options({ imagePullSecrets: ['regcred'] }), reader: undefined });
  t.same(keychain.credentialsFor('ghcr.io/x/y'), []);
  t.same(keychain.unreadSecrets, ['shop/regcred']);
  t.same(keychain.problems, []);
});

t.test('API failures are classified, with a message that says what to do', async (t) => {
  const table: [string, number, object][] = [
    [
      '403',
      403,
      { reason: 'forbidden', message: 'pullguard cannot read secret shop/regcred: forbidden; check its ClusterRole' },
    ],
    [
      '500',
      500,
      {
        reason: 'unavailable',
        message: 'pullguard cannot read secret shop/regcred: the Kubernetes API is unavailable (HTTP 500)',
      },
    ],
    ['503', 503, { reason: 'unavailable' }],
    ['401', 401, { reason: 'forbidden' }],
  ];
  for (const [name, status, want] of table) {
    api.fault(/\/secrets\/regcred$/, { status, times: 1 });
    const keychain = await buildPullCredentials(options({ imagePullSecrets: ['regcred'] }));
    t.match(keychain.problems, [{ kind: 'readFailed', what: 'secret', name: 'shop/regcred', ...want }], name);
    t.same(keychain.credentialsFor('ghcr.io/x/y'), [], `${name}: no credentials`);
  }
  api.fault(/\/serviceaccounts\/default$/, { status: 403, times: 1 });
  const template = await buildPullCredentials(options({ isTemplate: true }));
  t.same(template.problems, [
    {
      kind: 'readFailed',
      what: 'serviceaccount',
      name: 'shop/default',
      reason: 'forbidden',
      message: 'pullguard cannot read service account shop/default: forbidden; check its ClusterRole',
    },
  ]);
});

t.test('a slow or hanging API is bounded by the review deadline', async (t) => {
  for (const fault of [{ delayMs: 3000 }, { hang: true }]) {
    api.fault(/\/secrets\/regcred$/, { ...fault, times: 1 });
    const started = performance.now();
    const keychain = await buildPullCredentials(
      options({ imagePullSecrets: ['regcred'], signal: AbortSignal.timeout(300) }),
    );
    const elapsed = performance.now() - started;
    t.ok(elapsed < 1500, `answered after ${Math.round(elapsed)} ms (${JSON.stringify(fault)})`);
    t.match(keychain.problems, [
      {
        kind: 'readFailed',
        reason: 'timeout',
        message: 'pullguard cannot read secret shop/regcred: the Kubernetes API did not answer in time',
      },
    ]);
  }
});

t.test('errors are not cached; found and not-found results are', async (t) => {
  const reader = freshReader();
  api.fault(/\/secrets\/regcred$/, { status: 500, times: 1 });
  const failed = await buildPullCredentials(options({ imagePullSecrets: ['regcred'], reader }));
  t.match(failed.problems, [{ reason: 'unavailable' }]);
  const before = api.requests().length;
  const ok = await buildPullCredentials(options({ imagePullSecrets: ['regcred', 'nope'], reader }));
  t.same(summary(ok.credentialsFor('ghcr.io/x/y')), ['shop-user@secret shop/regcred']);
  t.equal(api.requests().length - before, 2, 'the failed read was retried and nope was read');
  const again = await buildPullCredentials(options({ imagePullSecrets: ['regcred', 'nope'], reader }));
  t.equal(api.requests().length - before, 2, 'both answers came from the cache');
  t.same(again.problems, ok.problems);
});

t.test(
  'reviews answered by the same cached reads reuse one keyring: the same credential objects, no new parsing',
  async (t) => {
    const reader = freshReader();
    const first = await buildPullCredentials(options({ imagePullSecrets: ['regcred', 'nope'], reader }));
    const second = await buildPullCredentials(options({ imagePullSecrets: ['regcred', 'nope'], reader }));
    t.equal(second.credentialsFor('ghcr.io/x/y'), first.credentialsFor('ghcr.io/x/y'), 'the same list object');
    t.same(second.problems, first.problems);
    const otherOrder = await buildPullCredentials(options({ imagePullSecrets: ['nope', 'regcred'], reader }));
    t.same(summary(otherOrder.credentialsFor('ghcr.io/x/y')), ['shop-user@secret shop/regcred']);
    const fresh = await buildPullCredentials(options({ imagePullSecrets: ['regcred', 'nope'] }));
    t.not(fresh.credentialsFor('ghcr.io/x/y'), first.credentialsFor('ghcr.io/x/y'), 'new reads, new keyring');
    t.same(summary(fresh.credentialsFor('ghcr.io/x/y')), summary(first.credentialsFor('ghcr.io/x/y')));
  },
);

t.test('50 concurrent reviews of one secret make one API request', async (t) => {
  const reader = freshReader();
  api.fault(/\/secrets\/regcred$/, { delayMs: 100, times: 1 });
  const before = api.requests().length;
  const keychains = await Promise.all(
    Array.from({ length: 50 }, () => buildPullCredentials(options({ imagePullSecrets: ['regcred'], reader }))),
  );
  t.equal(
    api
      .requests()
      .slice(before)
      .filter((r) => r.path === '/api/v1/namespaces/shop/secrets/regcred').length,
    1,
  );
  t.ok(
    keychains.every((k) => k.credentialsFor('ghcr.io/x/y').length === 1),
    'every review got the credential',
  );
});

t.test(
  'credentials are uncertain when a secret went unseen: unread, unreadable, or more than pullguard evaluates',
  async (t) => {
    const tooMany = Object.fromEntries(
      Array.from({ length: 1001 }, (_, i) => [`r${i}.example.com`, basicAuth('u', PLANTED_PASSWORD)]),
    );
    api.addSecret(dockerConfigJsonSecret('shop', 'too-many', tooMany));
    const overLimit = await buildPullCredentials(options({ imagePullSecrets: ['too-many'], reader: freshReader() }));
    t.match(overLimit.problems, [{ kind: 'invalidPullSecret', secret: 'shop/too-many', overLimit: true }]);
    t.equal(credentialsUncertain(overLimit), true, 'a secret pullguard does not evaluate');
    const broken = await buildPullCredentials(options({ imagePullSecrets: ['broken'], reader: freshReader() }));
    t.equal(credentialsUncertain(broken), false, 'an undecodable secret is certain: the kubelet fails with it too');
    const fine = await buildPullCredentials(options({ imagePullSecrets: ['regcred'], reader: freshReader() }));
    t.equal(credentialsUncertain(fine), false);
    const { reader: _reader, ...withoutReader } = options({ imagePullSecrets: ['regcred'] });
    const unread = await buildPullCredentials(withoutReader);
    t.same(unread.unreadSecrets, ['shop/regcred'], 'no reader: the secret is unread');
    t.equal(credentialsUncertain(unread), true);
  },
);

t.test('secrets are only ever read by name: no list, no watch', async (t) => {
  const requests = api.requests();
  t.ok(requests.length > 10, 'the other tests made requests');
  const secretRequests = requests.filter((r) => r.path.includes('/secrets'));
  t.ok(secretRequests.length > 0);
  for (const r of secretRequests) {
    t.match(r.path, /^\/api\/v1\/namespaces\/[^/]+\/secrets\/[^/]+$/, `${r.method} ${r.path} is a get by name`);
    t.notMatch(r.query, /watch/, 'not a watch');
    t.equal(r.method, 'GET');
  }
});
