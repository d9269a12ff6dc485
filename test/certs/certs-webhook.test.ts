/**
 * `pullguard certs --secret … --patch-webhook NAME` against the fake Kubernetes API: every webhook's caBundle set by
 * one JSON patch guarded by a resourceVersion `test`, nothing sent when already right, a configuration that appears
 * late waited for, a concurrent change retried, failures as one line.
 */
import { KubeConfig } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import type { CertsApiRequest } from '../../src/certs/certs-api.js';
import { runCertsSecretCommand, type CertsSecretArgs } from '../../src/certs/secret-command.js';
import { createKubeRequest } from '../../src/kube/kube-request.js';
import { startFakeKubeApi, type FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';

const WEBHOOKS = 'admissionregistration.k8s.io/validatingwebhookconfigurations';
const PATH = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/pullguard';

const webhook = (name: string, caBundle?: string) => ({
  name,
  admissionReviewVersions: ['v1'],
  sideEffects: 'None',
  clientConfig: { service: { name: 'pullguard', namespace: 'pullguard' }, ...(caBundle ? { caBundle } : {}) },
});
const configuration = (...webhooks: object[]) => ({ metadata: { name: 'pullguard' }, webhooks });

async function cluster(t: Test, wrap: (request: CertsApiRequest) => CertsApiRequest = (r) => r) {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  const request = wrap(createKubeRequest(kubeConfig, 5_000));
  const run = async (args: Partial<CertsSecretArgs> = {}) => {
    const lines: string[] = [];
    const result = await runCertsSecretCommand(
      { secret: 'pullguard-tls', namespace: 'pullguard', patchWebhook: 'pullguard', ...args },
      request,
      { stdout: (line) => lines.push(line) },
    );
    return { ...result, lines };
  };
  return { api, run, request };
}

async function bundles(api: FakeKubeApi): Promise<unknown[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  const answer = await createKubeRequest(kc, 5_000)('GET', PATH);
  if (answer.status !== 'ok') throw new Error(`no configuration: ${answer.status}`);
  return (answer.value['webhooks'] as { clientConfig: { caBundle?: string } }[]).map((w) => w.clientConfig.caBundle);
}

const patches = (api: FakeKubeApi) => api.requests().filter((r) => r.method === 'PATCH');

t.test('every webhook gets the Secret’s caBundle; the next run sends no patch', async (t) => {
  const { api, run } = await cluster(t);
  api.add(
    WEBHOOKS,
    configuration(webhook('a.pullguard.io', 'b2xk'), webhook('b.pullguard.io'), webhook('c.pullguard.io')),
  );
  const first = await run();
  t.same(await bundles(api), [first.caBundle, first.caBundle, first.caBundle]);
  t.equal(first.webhook, 'patched');
  t.equal(first.lines.at(-3), 'Patched ValidatingWebhookConfiguration pullguard: caBundle set on 3 webhooks');
  t.equal(first.lines.at(-1), first.caBundle);
  t.equal(patches(api).length, 1);
  const second = await run();
  t.equal(second.action, 'kept');
  t.equal(second.webhook, 'unchanged');
  t.equal(
    second.lines.at(-3),
    'ValidatingWebhookConfiguration pullguard already carries this caBundle on 3 webhooks: not patched',
  );
  t.equal(patches(api).length, 1, 'no second patch');
});

t.test('the patch tests the resourceVersion: a change in between is read again, then patched', async (t) => {
  let api: FakeKubeApi | undefined;
  let raced = false;
  const wrap =
    (request: CertsApiRequest): CertsApiRequest =>
    async (method, path, body, contentType) => {
      if (method === 'PATCH' && !raced && api !== undefined) {
        raced = true; // someone (helm, kubectl apply) rewrites the configuration between our read and our patch
        api.add(WEBHOOKS, configuration(webhook('a.pullguard.io'), webhook('new.pullguard.io')));
      }
      return request(method, path, body, contentType);
    };
  const started = await cluster(t, wrap);
  api = started.api;
  api.add(WEBHOOKS, configuration(webhook('a.pullguard.io')));
  const result = await started.run();
  t.equal(result.webhook, 'patched');
  t.same(await bundles(api), [result.caBundle, result.caBundle], 'the webhook added meanwhile too');
  t.equal(patches(api).length, 2, 'the first patch failed its test (422), the second applied');
});

t.test('a configuration that appears late is waited for, then patched', async (t) => {
  const { api, run } = await cluster(t);
  const timer = setTimeout(() => api.add(WEBHOOKS, configuration(webhook('a.pullguard.io'))), 700);
  t.teardown(() => clearTimeout(timer));
  const result = await run();
  t.equal(result.webhook, 'patched');
  t.ok(result.lines.includes('ValidatingWebhookConfiguration pullguard does not exist yet: waiting for it up to 60 s'));
  t.same(await bundles(api), [result.caBundle]);
  t.ok(api.requests().filter((r) => r.method === 'GET' && r.path === PATH).length >= 3, 'read again with a backoff');
});

t.test('a configuration that never appears: one line after the wait, exit code 1', async (t) => {
  const { api, run } = await cluster(t);
  const started = Date.now();
  await t.rejects(run({ webhookWaitMs: 1_000 }), {
    code: 'PG_CERTS_WEBHOOK_NOT_FOUND',
    exitCode: 1,
    message:
      'ValidatingWebhookConfiguration pullguard does not exist (waited 1 s); install the webhook configuration, then run the command again',
  });
  t.ok(Date.now() - started >= 1_000, 'waited the whole budget');
  t.ok(api.requests().filter((r) => r.path === PATH).length <= 6, 'with a backoff, not a busy loop');
});

t.test('forbidden get or patch: one line naming the verb and the resource', async (t) => {
  for (const verb of ['get', 'patch'] as const) {
    const { api, run } = await cluster(t);
    api.add(WEBHOOKS, configuration(webhook('a.pullguard.io')));
    api.deny({ verb, group: 'admissionregistration.k8s.io', resource: 'validatingwebhookconfigurations' });
    await t.rejects(run(), {
      code: 'PG_CERTS_API_FAILED',
      message: `cannot ${verb} ValidatingWebhookConfiguration pullguard: forbidden (HTTP 403): the service account needs the RBAC verb "${verb}" on validatingwebhookconfigurations in API group "admissionregistration.k8s.io" (resourceNames: ["pullguard"])`,
    });
  }
});

t.test('a configuration that keeps changing: bounded retries, then one line', async (t) => {
  let api: FakeKubeApi | undefined;
  const wrap =
    (request: CertsApiRequest): CertsApiRequest =>
    async (method, path, body, contentType) => {
      if (method === 'PATCH') api?.add(WEBHOOKS, configuration(webhook('a.pullguard.io')));
      return request(method, path, body, contentType);
    };
  const started = await cluster(t, wrap);
  api = started.api;
  api.add(WEBHOOKS, configuration(webhook('a.pullguard.io')));
  await t.rejects(started.run(), {
    code: 'PG_CERTS_API_FAILED',
    message:
      'cannot patch ValidatingWebhookConfiguration pullguard: it changed under every one of 5 attempts; run the command again',
  });
  t.equal(patches(api).length, 5);
});
