/**
 * docs/design.md §7.2 R7: the Kubernetes API is slow or failing. Secret, service-account and namespace reads are
 * bounded by the review budget, classified (a warning, never a denial caused by the API), never crash the process, and
 * once the fault clears reads work again: a failure is never cached as if it were an answer.
 */
import t from 'tap';
import { startFakeKubeApi, type FakeKubeFault } from '../harness/fake-kube-api/fake-kube-api.js';
import { apiServerProblems, answerView } from '../helpers/api-server-checks.js';
import { admissionReview, deployment, pod, startWebhookUnderTest } from '../helpers/engine-webhook.js';
import { slowRegistryHandler, startLoopbackServer } from './support/loopback-servers.js';
import { countProcessFailures } from './support/process-guards.js';

const API_SERVER_TIMEOUT_MS = 3000;

const failures = countProcessFailures();
t.teardown(() => failures.dispose());

const registry = await startLoopbackServer(slowRegistryHandler(0));
t.teardown(() => registry.close());
const kube = await startFakeKubeApi();
t.teardown(() => kube.close());
const image = `${registry.host}/team/app:1.0`;
const dockerConfig = JSON.stringify({
  auths: { [registry.host]: { auth: Buffer.from('alice:kube-test-password').toString('base64') } },
});
kube.addNamespace({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } },
});
/** A Secret and a ServiceAccount per scenario: successful reads are cached for 30 s, so each fault needs fresh names. */
function seed(name: string): void {
  kube.addSecret({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { namespace: 'shop', name },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: { '.dockerconfigjson': dockerConfig },
  });
  kube.addServiceAccount({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { namespace: 'shop', name },
    imagePullSecrets: [{ name }],
  });
}

const webhook = await startWebhookUnderTest({
  config: { registries: [{ host: registry.host, plainHttp: true }], credentials: { kubernetes: true } },
  kubeconfigPath: kube.kubeconfigPath,
});
t.teardown(() => webhook.close());

/** Reviews that read a Secret (pod pull secret) and a ServiceAccount (workload template without secrets). */
const readsSecret = (name: string) => admissionReview(pod('p', [image], { imagePullSecrets: [{ name }] }));
const readsServiceAccount = (name: string) => admissionReview(deployment('d', [image], { serviceAccountName: name }));

async function reviewAll(bodies: object[]) {
  return Promise.all(
    bodies.map(async (body) => ({
      uid: (body as { request: { uid: string } }).request.uid,
      answer: await webhook.review(body, { timeout: '3s' }),
    })),
  );
}

const faults: readonly [string, FakeKubeFault][] = [
  ['slow (5 s)', { delayMs: 5000 }],
  ['500', { status: 500 }],
  ['403', { status: 403 }],
  ['hanging', { hang: true }],
  ['garbage body', { status: 200, body: '{"kind":"Secret","data":"not a map"' }],
];

for (const [n, [label, fault]] of faults.entries()) {
  const name = `regcred-${n}`;
  seed(name);
  t.test(
    `API ${label}: reviews bounded, admitted with a warning; reads work again after the fault clears`,
    async (t) => {
      kube.fault(/\/(secrets|serviceaccounts)\//, fault);
      const bodies = Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0 ? readsSecret(name) : readsServiceAccount(name),
      );
      const answers = await reviewAll(bodies);
      for (const { uid, answer } of answers) {
        t.ok(answer.elapsedMs < API_SERVER_TIMEOUT_MS, `answered in ${Math.round(answer.elapsedMs)} ms`);
        t.same(
          apiServerProblems({ statusCode: answer.statusCode, body: answer.raw }, uid),
          [],
          'the API server accepts it',
        );
        const view = answerView(answer.raw);
        t.equal(view.allowed, true, 'never denied because of the API');
        t.ok(
          view.findings.length > 0 && view.findings.every((f) => f.action === 'warn'),
          `classified as warnings: ${view.findings.map((f) => f.class).join(', ')}`,
        );
        t.ok(view.warnings.length > 0, 'the user is told');
      }
      kube.clearFaults();
      // A failed read is never cached: the very next review reads the Secret / ServiceAccount again and is clean.
      for (const body of [readsSecret(name), readsServiceAccount(name)]) {
        const answer = await webhook.review(body, { timeout: '3s' });
        const view = answerView(answer.raw);
        t.equal(view.allowed, true);
        t.same(view.findings, [], 'no finding once the API answers again (no poisoned cache)');
      }
    },
  );
}

t.test('a hanging namespace read (mode label) cannot hold a denial past the budget', async (t) => {
  kube.fault(/\/namespaces\/shop$/, { hang: true });
  t.teardown(() => kube.clearFaults());
  const body = admissionReview(pod('bad', ['Invalid:Image'], {}));
  const answer = await webhook.review(body, { timeout: '3s' });
  t.ok(answer.elapsedMs < API_SERVER_TIMEOUT_MS, `answered in ${Math.round(answer.elapsedMs)} ms`);
  t.same(
    apiServerProblems(
      { statusCode: answer.statusCode, body: answer.raw },
      (body as { request: { uid: string } }).request.uid,
    ),
    [],
  );
});

t.test('secrets are only ever read by name, and the process saw no unhandled failure', async (t) => {
  const secretReads = kube.requests().filter((r) => r.path.includes('/secrets'));
  t.ok(secretReads.length > 0);
  t.ok(
    secretReads.every((r) => r.method === 'GET' && /\/secrets\/[^/]+$/.test(r.path) && !/watch/.test(r.query)),
    'get by name only',
  );
  t.equal(failures.unhandledRejections(), 0, failures.describe());
  t.equal(failures.uncaughtExceptions(), 0, failures.describe());
});
