/**
 * Issue 13, "tested as a hostile tenant would": a tenant controls its pod specs and the Secrets and ServiceAccounts of
 * its namespace. None of that may freeze the webhook for everyone, crash a review into "internal error" (which
 * admits), turn a missing secret into an "uncertain" one (which softens a denial), or hand a template credentials
 * its pods will not have. Through the real webhook, the real client-node reader and the fake Kubernetes API, against
 * a real Distribution registry with Basic auth.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import t from 'tap';
import { startFakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { pushImage, startRegistry } from '../harness/registry/index.js';
import { apiServerProblems, answerView, type AdmissionAnswerView } from '../helpers/api-server-checks.js';
import { admissionReview, deployment, pod, startWebhookUnderTest } from '../helpers/engine-webhook.js';
import { countProcessFailures } from './support/process-guards.js';

const failures = countProcessFailures();
t.teardown(() => failures.dispose());

const registry = await startRegistry({ mode: 'basic' });
t.teardown(() => registry.stop());
await pushImage(registry, { repository: 'team/app', tags: ['1.0'], format: 'oci-manifest' });
const [user, password] = Object.entries(registry.users)[0] as [string, string];
const privateImage = `${registry.host}/team/app:1.0`;
const missingImage = `${registry.host}/team/missing:1.0`;

const kube = await startFakeKubeApi();
t.teardown(() => kube.close());
const dockerConfigSecret = (namespace: string, name: string, dockerconfigjson: string) =>
  kube.addSecret({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { namespace, name },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: { '.dockerconfigjson': dockerconfigjson },
  });
const auths = (entries: Record<string, object>) => JSON.stringify({ auths: entries });
const login = { username: user, password };
kube.addNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
kube.addNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
dockerConfigSecret('shop', 'regcred', auths({ [registry.host]: login }));
dockerConfigSecret('other', 'elsewhere', auths({ [registry.host]: login }));
dockerConfigSecret('shop', 'glob', auths({ '*b.test': { username: 'u', password: 'p' } }));
// About 4 M characters of docker config (5.3 M as base64): more than any Secret can hold, and a regular expression's
// backtracking stack overflowed on it.
dockerConfigSecret('shop', 'huge', auths({ [registry.host]: { auth: 'QUJD'.repeat(1_000_000) } }));
kube.addServiceAccount({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { namespace: 'shop', name: 'default' },
  imagePullSecrets: [{ name: 'regcred' }],
});

const webhook = await startWebhookUnderTest({
  config: { registries: [{ host: registry.host, caFile: registry.caFile }], credentials: { kubernetes: true } },
  kubeconfigPath: kube.kubeconfigPath,
});
t.teardown(() => webhook.close());

async function review(
  object: Record<string, any>,
  options: { dryRun?: boolean } = {},
): Promise<AdmissionAnswerView & { raw: string }> {
  const body = admissionReview(object, options) as { request: { uid: string } };
  const answer = await webhook.review(body);
  const problems = apiServerProblems({ statusCode: answer.statusCode, body: answer.raw }, body.request.uid);
  if (problems.length > 0) throw new Error(`the API server would reject the answer: ${problems.join('; ')}`);
  return { ...answerView(answer.raw), raw: answer.raw };
}

/** `where class action` per audit record: the field path of an image finding, the subject of a pod-level one. */
const classesOf = (view: AdmissionAnswerView) =>
  view.findings.map((f) => `${f.path ?? (f as { subject?: string }).subject ?? '?'} ${f.class} ${f.action}`);

t.test('a glob key and a 40,000-character host: answered at once, an invalid reference', async (t) => {
  const hugeHost = `${'a'.repeat(40_000)}.test`;
  const object = pod('glob', [`${hugeHost}/app:1`], { imagePullSecrets: [{ name: 'glob' }] });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  // Other tenants' reviews, and --dry-run=server repeats, share the event loop with it.
  const answers = await Promise.all([
    review(object),
    review(object, { dryRun: true }),
    review(pod('neighbour', [privateImage], { imagePullSecrets: [{ name: 'regcred' }] })),
    review(object, { dryRun: true }),
  ]);
  delay.disable();
  const worstMs = delay.max / 1e6;
  t.ok(worstMs <= 1000, `event loop delay at most 1 s (worst ${worstMs.toFixed(0)} ms)`);
  for (const answer of [answers[0], answers[1], answers[3]]) {
    t.equal(answer?.allowed, false);
    t.same(answer && classesOf(answer), ['spec.containers[0].image invalidReference deny']);
    t.match(answer?.message, /would fail to pull \(InvalidImageName\)/);
  }
  t.same(answers[2] && [answers[2].allowed, answers[2].findings], [true, []], "the neighbour's review is unaffected");
});

t.test(
  'a 4 M-character image and a 4 M-character docker config: findings, no exception; the missing image is still denied',
  async (t) => {
    const hugeImages = ['a'.repeat(4_000_000), `${'a.'.repeat(2_000_000)}com/app:1`];
    for (const hugeImage of hugeImages) {
      const answer = await review(
        pod('huge', [hugeImage, missingImage], { imagePullSecrets: [{ name: 'huge' }, { name: 'regcred' }] }),
      );
      t.equal(answer.allowed, false);
      t.notMatch(answer.message, /internal error/i);
      t.same(
        classesOf(answer).sort(),
        [
          'pull secret shop/huge unreachable warn',
          'spec.containers[0].image invalidReference deny',
          'spec.containers[1].image notFound deny',
        ].sort(),
        `${hugeImage.slice(0, 4)}…: every finding, each in its place`,
      );
      t.match(
        answer.warnings.join('\n'),
        /shop\/huge is more than pullguard evaluates; not checked/,
        'the secret problem is named, as a warning',
      );
      t.ok(answer.raw.length < 64 * 1024, `the answer stays small (${answer.raw.length} bytes)`);
    }
  },
);

t.test(
  'pull secrets named ".", "..", "a/b", "%2e": missing, never a list URL, and a refusal stays a denial',
  async (t) => {
    // pullguard's get-only ClusterRole: the list URL is forbidden.
    kube.fault(/\/secrets\/?$/, { status: 403 });
    t.teardown(() => kube.clearFaults());
    const before = kube.requests().length;
    const names = ['.', '..', 'a/b', '%2e'];
    const answer = await review(pod('dots', [privateImage], { imagePullSecrets: names.map((name) => ({ name })) }));
    t.equal(answer.allowed, false, 'denied: the kubelet pulls anonymously and is refused');
    t.same(classesOf(answer), [
      ...names.map((name) => `pull secret shop/${JSON.stringify(name)} missingPullSecret warn`),
      'spec.containers[0].image unauthorized deny',
    ]);
    const secretRequests = kube
      .requests()
      .slice(before)
      .filter((r) => r.path.includes('/secrets'));
    t.same(secretRequests, [], 'no secret was requested: none of these names can be one');
    t.same(
      kube.requests().filter((r) => /\/secrets\/?$/.test(r.path)),
      [],
      'no list URL, ever',
    );
  },
);

t.test(
  'imagePullSecrets: [{}] in a Deployment template keeps the service account secrets out, as the admission plugin does',
  async (t) => {
    const before = kube.requests().length;
    const unnamed = await review(deployment('unnamed', [privateImage], { imagePullSecrets: [{}] }));
    t.equal(unnamed.allowed, false, 'its pods pull anonymously and are refused');
    t.same(classesOf(unnamed), ['spec.template.spec.containers[0].image unauthorized deny']);
    t.notOk(
      kube
        .requests()
        .slice(before)
        .some((r) => r.path.includes('/serviceaccounts/')),
      'the service account was not read',
    );
    const none = await review(deployment('none', [privateImage]));
    t.same([none.allowed, none.findings], [true, []], "with no list at all, the service account's secret is used");
  },
);

t.test("secrets are read only in the pod's namespace", async (t) => {
  const before = kube.requests().length;
  const answer = await review(pod('elsewhere', [privateImage], { imagePullSecrets: [{ name: 'elsewhere' }] }));
  t.equal(answer.allowed, false);
  t.same(classesOf(answer), [
    'pull secret shop/elsewhere missingPullSecret warn',
    'spec.containers[0].image unauthorized deny',
  ]);
  const secretPaths = kube
    .requests()
    .slice(before)
    .map((r) => r.path)
    .filter((path) => path.includes('/secrets'));
  t.same(secretPaths, ['/api/v1/namespaces/shop/secrets/elsewhere']);
});

t.test('no crash, no unhandled rejection, no internal error in the logs', async (t) => {
  t.equal(failures.unhandledRejections() + failures.uncaughtExceptions(), 0, failures.describe());
  t.notMatch(webhook.logs(), /internal error|RangeError|Maximum call stack/i);
});
