/**
 * `pullguard certs --secret` against the fake Kubernetes API, through client-node (src/kube/kube-request.ts): the
 * Secret created, kept or replaced, two concurrent runs converging, failures as one line.
 */
import { X509Certificate } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import { generateCertificates } from '../../src/certs/generate-certificates.js';
import { runCertsSecretCommand, type CertsSecretArgs } from '../../src/certs/secret-command.js';
import { createKubeRequest } from '../../src/kube/kube-request.js';
import { startFakeKubeApi, type FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';

const DAY = 86_400_000;

async function cluster(t: Test) {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  const request = createKubeRequest(kubeConfig, 5_000);
  const run = async (args: Partial<CertsSecretArgs> = {}) => {
    const lines: string[] = [];
    const result = await runCertsSecretCommand({ secret: 'pullguard-tls', namespace: 'pullguard', ...args }, request, {
      stdout: (line) => lines.push(line),
    });
    return { ...result, lines };
  };
  return { api, run, request };
}

async function secretOf(api: FakeKubeApi) {
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  const answer = await createKubeRequest(kc, 5_000)('GET', '/api/v1/namespaces/pullguard/secrets/pullguard-tls');
  if (answer.status !== 'ok') throw new Error(`no Secret: ${answer.status}`);
  const data = (answer.value['data'] ?? {}) as Record<string, string>;
  const text = (key: string) => Buffer.from(data[key] ?? '', 'base64').toString('utf8');
  return { object: answer.value, ca: text('ca.crt'), cert: text('tls.crt'), key: text('tls.key'), data };
}

const writes = (api: FakeKubeApi) => api.requests().filter((r) => r.method !== 'GET');

/** A Secret as a previous run would have left it, from certificates generated with these options. */
function storedSecret(options: Parameters<typeof generateCertificates>[0], edit: Record<string, string> = {}) {
  const certs = generateCertificates(options);
  const base64 = (text: string) => Buffer.from(text).toString('base64');
  return {
    metadata: { name: 'pullguard-tls', namespace: 'pullguard' },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': base64(certs.certPem), 'tls.key': base64(certs.keyPem), 'ca.crt': base64(certs.caPem), ...edit },
  };
}

t.test('absent: created with the three keys and the labels; the last line is the caBundle of its ca.crt', async (t) => {
  const { api, run } = await cluster(t);
  const result = await run({ days: 3650, sans: ['webhook.example.com'] });
  t.equal(result.action, 'created');
  const secret = await secretOf(api);
  t.match(secret.object, {
    type: 'kubernetes.io/tls',
    metadata: {
      labels: {
        'app.kubernetes.io/name': 'pullguard',
        'app.kubernetes.io/component': 'webhook-certificate',
        'app.kubernetes.io/managed-by': 'pullguard-certs',
      },
    },
  });
  t.ok(
    new X509Certificate(secret.cert).checkPrivateKey(
      await import('node:crypto').then((c) => c.createPrivateKey(secret.key)),
    ),
  );
  t.equal(result.lines.at(-1), Buffer.from(secret.ca).toString('base64'));
  t.equal(result.caBundle, result.lines.at(-1));
  t.equal(result.lines[0], 'Created Secret pullguard/pullguard-tls (kubernetes.io/tls: tls.crt, tls.key, ca.crt)');
  t.match(result.lines[2], /^SANs: pullguard, .*webhook\.example\.com$/);
  t.notOk(result.lines.join('\n').includes('PRIVATE KEY'), 'the key is never printed');
  t.notOk(result.lines.join('\n').includes(secret.data['tls.key'] ?? 'x'), 'not even in base64');
  t.same(
    writes(api).map((r) => `${r.method} ${r.path}`),
    ['POST /api/v1/namespaces/pullguard/secrets'],
  );
});

t.test('valid: kept, and nothing is written', async (t) => {
  const { api, run } = await cluster(t);
  const first = await run({ days: 3650 });
  const before = api.requests().length;
  const second = await run({ days: 3650 });
  t.equal(second.action, 'kept');
  t.equal(second.lines[0], 'Kept Secret pullguard/pullguard-tls: its certificates are valid and name every SAN wanted');
  t.equal(second.caBundle, first.caBundle);
  t.equal(second.lines.at(-1), first.caBundle);
  t.same(
    api
      .requests()
      .slice(before)
      .map((r) => r.method),
    ['GET'],
  );
});

t.test('replaced when expiring, when the SANs differ, when garbage, when the key does not match', async (t) => {
  const old = new Date(Date.now() - 300 * DAY);
  const foreignKey = Buffer.from(generateCertificates().keyPem).toString('base64');
  const cases = [
    {
      name: 'expiring',
      secret: storedSecret({ days: 365, now: old }),
      args: {},
      reason: /^tls\.crt is due for renewal/,
    },
    {
      name: 'other SANs',
      secret: storedSecret({}),
      args: { sans: ['10.0.0.9'] },
      reason: /does not name 10\.0\.0\.9$/,
    },
    { name: 'other service', secret: storedSecret({ service: 'old' }), args: {}, reason: /does not name pullguard,/ },
    {
      name: 'garbage',
      secret: storedSecret({}, { 'ca.crt': Buffer.from('not PEM').toString('base64'), 'tls.crt': '!!' }),
      args: {},
      reason: /^ca\.crt does not hold a PEM CA certificate$/,
    },
    {
      name: 'no keys',
      secret: { metadata: { name: 'pullguard-tls', namespace: 'pullguard' }, type: 'kubernetes.io/tls' },
      args: {},
      reason: /^it has no ca\.crt, tls\.crt, tls\.key$/,
    },
    {
      name: 'wrong key',
      secret: storedSecret({}, { 'tls.key': foreignKey }),
      args: {},
      reason: /^tls\.key is not the key of tls\.crt$/,
    },
  ];
  for (const { name, secret, args, reason } of cases) {
    await t.test(name, async (t) => {
      const { api, run } = await cluster(t);
      api.addSecret(secret);
      const version = (await secretOf(api)).object['metadata'] as { resourceVersion: string };
      const result = await run(args);
      t.equal(result.action, 'replaced');
      t.match(result.lines[0], /^Replaced Secret pullguard\/pullguard-tls: /);
      t.match(result.lines[0]?.replace(/^Replaced Secret pullguard\/pullguard-tls: /, ''), reason);
      t.same(
        writes(api).map((r) => `${r.method} ${r.path}`),
        ['PUT /api/v1/namespaces/pullguard/secrets/pullguard-tls'],
      );
      const after = await secretOf(api);
      t.not((after.object['metadata'] as { resourceVersion: string }).resourceVersion, version.resourceVersion);
      t.equal(result.caBundle, Buffer.from(after.ca).toString('base64'));
      t.equal((await run(args)).action, 'kept', 'and the next run keeps it');
    });
  }
});

t.test('two runs at once converge on one Secret and print the same caBundle', async (t) => {
  const { api, run } = await cluster(t);
  const [a, b] = await Promise.all([run({ days: 3650 }), run({ days: 3650 })]);
  t.equal(a.caBundle, b.caBundle);
  t.same([a.action, b.action].sort(), ['created', 'kept']);
  t.equal(Buffer.from((await secretOf(api)).ca).toString('base64'), a.caBundle);
  t.same(
    writes(api).map((r) => r.method),
    ['POST', 'POST'],
    'the second create is refused (409), then the winner is read and kept',
  );
});

t.test('a race on replace: the loser reads again and keeps the winner', async (t) => {
  const { api, run } = await cluster(t);
  api.addSecret(storedSecret({}, { 'tls.crt': '' }));
  const [a, b] = await Promise.all([run(), run()]);
  t.equal(a.caBundle, b.caBundle);
  t.same([a.action, b.action].sort(), ['kept', 'replaced']);
});

t.test('forbidden: one line naming the object and the RBAC verb, exit code 1', async (t) => {
  for (const verb of ['get', 'create', 'update'] as const) {
    const { api, run } = await cluster(t);
    if (verb === 'update') api.addSecret(storedSecret({}, { 'tls.crt': '' }));
    api.deny({ verb, resource: 'secrets' });
    const error = await run().then(
      () => undefined,
      (e: unknown) => e as Error & { code: string; exitCode: number },
    );
    t.equal(error?.code, 'PG_CERTS_API_FAILED');
    t.equal(error?.exitCode, 1);
    t.equal(
      error?.message,
      `cannot ${verb} Secret pullguard/pullguard-tls: forbidden (HTTP 403): the service account needs the RBAC verb "${verb}" on secrets in the namespace "pullguard"`,
    );
  }
});

t.test('a Secret of another type cannot be replaced: one line saying so', async (t) => {
  const { api, run } = await cluster(t);
  api.addSecret({ metadata: { name: 'pullguard-tls', namespace: 'pullguard' }, type: 'Opaque', data: { a: 'Yg==' } });
  await t.rejects(run(), {
    code: 'PG_CERTS_API_FAILED',
    message:
      "cannot update Secret pullguard/pullguard-tls: HTTP 422 (is it of another type than kubernetes.io/tls? a Secret's type cannot change: delete it and run again)",
  });
});

t.test('an unreachable API server and a bad --days are one line too; a bad --days sends nothing', async (t) => {
  const { api, run } = await cluster(t);
  api.fault(/secrets/, { status: 503 });
  await t.rejects(run(), {
    code: 'PG_CERTS_API_FAILED',
    message: 'cannot get Secret pullguard/pullguard-tls: HTTP 503',
  });
  const before = api.requests().length;
  await t.rejects(run({ days: 4000 }), { code: 'PG_CERTS_INVALID_DAYS' });
  await t.rejects(run({ namespace: 'Bad' }), { code: 'PG_CERTS_INVALID_NAME' });
  t.equal(api.requests().length, before);
});
