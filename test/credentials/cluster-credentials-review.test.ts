/**
 * Credentials exactly as the kubelet builds them (issue 4), end to end through POST /validate: pull secrets and
 * service accounts read from a fake Kubernetes API through @kubernetes/client-node, checked against the real
 * Distribution registry over TLS with htpasswd.
 */
import t from 'tap';
import { startFakeKubeApi, type FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { dockerConfigJson, pushImage, startRegistry, type RegistryHandle } from '../harness/registry/index.js';
import {
  admissionReview,
  deployment,
  pod,
  startWebhookUnderTest,
  type WebhookUnderTest,
} from '../helpers/engine-webhook.js';

const PLANTED = 'planted-Secret-pa55word';

function dockerSecret(namespace: string, name: string, json: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { namespace, name },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: { '.dockerconfigjson': json },
  };
}

function seed(kube: FakeKubeApi, reg: RegistryHandle): void {
  const alice = Buffer.from(`alice:${reg.users['alice']}`).toString('base64');
  for (const ns of ['shop', 'shop2', 'other'])
    kube.addNamespace({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } },
    });
  kube.addNamespace({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'trial', labels: { 'kubernetes.io/metadata.name': 'trial', 'pullguard.io/mode': 'warn' } },
  });
  kube.addSecret(dockerSecret('shop', 'regcred', dockerConfigJson(reg, 'alice')));
  kube.addSecret(dockerSecret('other', 'regcred', dockerConfigJson(reg, 'alice')));
  kube.addSecret(
    dockerSecret(
      'shop',
      'badpass',
      JSON.stringify({ auths: { [reg.host]: { auth: Buffer.from(`alice:${PLANTED}`).toString('base64') } } }),
    ),
  );
  kube.addSecret(dockerSecret('shop', 'broken', JSON.stringify({ auths: { [reg.host]: { auth: '!!not-base64!!' } } })));
  kube.addSecret({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { namespace: 'shop', name: 'legacy' },
    type: 'kubernetes.io/dockercfg',
    stringData: { '.dockercfg': JSON.stringify({ [`https://${reg.host}`]: { auth: alice } }) },
  });
  kube.addSecret({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { namespace: 'shop', name: 'opaque' },
    type: 'Opaque',
    stringData: { token: PLANTED },
  });
  kube.addServiceAccount({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { namespace: 'shop', name: 'default' },
  });
  kube.addServiceAccount({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { namespace: 'shop', name: 'builder' },
    imagePullSecrets: [{ name: 'regcred' }],
  });
}

function classes(answer: { body: any }): string[] {
  const text = answer.body.response?.auditAnnotations?.findings;
  return text
    ? JSON.parse(text)
        .map((f: { class: string }) => f.class)
        .sort()
    : [];
}

function message(answer: { body: any }): string {
  return answer.body.response?.status?.message ?? '';
}

t.test('credentials from the cluster', async (t) => {
  const reg = await startRegistry({ mode: 'basic' });
  t.teardown(() => reg.stop());
  const open = await startRegistry({ mode: 'plain' });
  t.teardown(() => open.stop());
  await pushImage(reg, { repository: 'team/private', tags: ['1.0'], format: 'oci-manifest' });
  await pushImage(open, { repository: 'team/public', tags: ['1.0'], format: 'oci-manifest' });
  const kube = await startFakeKubeApi();
  t.teardown(() => kube.close());
  seed(kube, reg);
  const webhook: WebhookUnderTest = await startWebhookUnderTest({
    config: {
      registries: [
        { host: reg.host, caFile: reg.caFile },
        { host: open.host, plainHttp: true },
      ],
      credentials: { kubernetes: true },
    },
    kubeconfigPath: kube.kubeconfigPath,
  });
  t.teardown(() => webhook.close());
  const privateImage = `${reg.host}/team/private:1.0`;

  const withSecret = await webhook.review(
    admissionReview(pod('p1', [privateImage], { imagePullSecrets: [{ name: 'regcred' }] })),
  );
  t.equal(withSecret.body.response.allowed, true, 'a pod with a working secret is allowed');
  t.same(classes(withSecret), []);

  const legacy = await webhook.review(
    admissionReview(pod('p2', [privateImage], { imagePullSecrets: [{ name: 'legacy' }] })),
  );
  t.equal(legacy.body.response.allowed, true, 'a legacy .dockercfg secret with an https:// key works');

  const viaServiceAccount = await webhook.review(
    admissionReview(deployment('d1', [privateImage], { serviceAccountName: 'builder' })),
  );
  t.equal(
    viaServiceAccount.body.response.allowed,
    true,
    "a Deployment relying on its service account's secret is allowed",
  );

  const overridden = await webhook.review(
    admissionReview(
      deployment('d2', [privateImage], { serviceAccountName: 'builder', imagePullSecrets: [{ name: 'badpass' }] }),
    ),
  );
  t.equal(overridden.body.response.allowed, false, "the template's secrets replace the service account's");
  t.match(message(overridden), /rejected the credentials from secret shop\/badpass/, 'the refused secret is named');

  const wrong = await webhook.review(
    admissionReview(pod('p3', [privateImage], { imagePullSecrets: [{ name: 'badpass' }] })),
  );
  t.equal(wrong.body.response.allowed, false);
  t.same(classes(wrong), ['unauthorized']);
  t.match(message(wrong), /secret shop\/badpass/);

  const missingPublic = await webhook.review(
    admissionReview(pod('p4', [`${open.host}/team/public:1.0`], { imagePullSecrets: [{ name: 'nosuch' }] })),
  );
  t.equal(missingPublic.body.response.allowed, true, 'a missing secret with a public image is allowed');
  t.same(classes(missingPublic), ['missingPullSecret']);
  t.match(missingPublic.body.response.warnings.join('\n'), /imagePullSecret shop\/nosuch does not exist/);

  const wrongType = await webhook.review(
    admissionReview(pod('p4b', [`${open.host}/team/public:1.0`], { imagePullSecrets: [{ name: 'opaque' }] })),
  );
  t.same(classes(wrongType), ['missingPullSecret'], 'a secret of another type is skipped with a finding');

  const undecodable = await webhook.review(
    admissionReview(pod('p5', [privateImage], { imagePullSecrets: [{ name: 'broken' }] })),
  );
  t.equal(undecodable.body.response.allowed, false, 'an undecodable auth denies');
  t.ok(classes(undecodable).includes('invalidPullSecret'));
  t.match(message(undecodable), /imagePullSecret shop\/broken cannot be decoded/);

  const otherNamespace = await webhook.review(
    admissionReview(pod('p6', [privateImage], { imagePullSecrets: [{ name: 'regcred' }] }, 'shop2')),
  );
  t.equal(otherNamespace.body.response.allowed, false, "another namespace's secret of the same name is never used");
  t.same(classes(otherNamespace), ['missingPullSecret', 'unauthorized']);

  const trial = await webhook.review(admissionReview(pod('p7', [privateImage], {}, 'trial')));
  t.equal(trial.body.response.allowed, true, 'pullguard.io/mode=warn on the namespace turns the denial into a warning');
  t.match(trial.body.response.warnings.join('\n'), /^would deny: container "c0"/m);

  const missingSa = await webhook.review(
    admissionReview(deployment('d3', [`${open.host}/team/public:1.0`], { serviceAccountName: 'ghost' })),
  );
  t.match(missingSa.body.response.warnings.join('\n'), /service account shop\/ghost does not exist/);

  for (const answer of [wrong, overridden, undecodable]) t.notMatch(answer.raw, PLANTED);
  t.notMatch(webhook.logs(), PLANTED, 'no secret material in any log line');

  const secretReads = kube.requests().filter((r) => r.path.includes('/secrets'));
  t.ok(
    secretReads.every((r) => r.method === 'GET' && !/watch|list/i.test(r.query) && /\/secrets\/[^/]+$/.test(r.path)),
    'secrets are only read with get by name',
  );
  const regcredReads = secretReads.filter((r) => r.path === '/api/v1/namespaces/shop/secrets/regcred').length;
  t.equal(regcredReads, 1, 'repeated reads of one secret are served from the cache');
});

t.test('a failing or slow Kubernetes API is bounded, classified, and never denies', async (t) => {
  const reg = await startRegistry({ mode: 'basic' });
  t.teardown(() => reg.stop());
  await pushImage(reg, { repository: 'team/private', tags: ['1.0'], format: 'oci-manifest' });
  const kube = await startFakeKubeApi();
  t.teardown(() => kube.close());
  seed(kube, reg);
  const webhook = await startWebhookUnderTest({
    config: { registries: [{ host: reg.host, caFile: reg.caFile }], credentials: { kubernetes: true } },
    kubeconfigPath: kube.kubeconfigPath,
  });
  t.teardown(() => webhook.close());
  const image = `${reg.host}/team/private:1.0`;

  kube.fault(/secrets\/forbidden-one/, { status: 403 });
  const forbidden = await webhook.review(
    admissionReview(pod('f1', [image], { imagePullSecrets: [{ name: 'forbidden-one' }] })),
  );
  t.equal(forbidden.body.response.allowed, true, 'an RBAC error is not a reason to deny');
  t.match(
    forbidden.body.response.warnings.join('\n'),
    /pullguard cannot read secret shop\/forbidden-one: forbidden; check its ClusterRole/,
  );

  kube.fault(/secrets\/flaky/, { status: 500 });
  const failing = await webhook.review(admissionReview(pod('f2', [image], { imagePullSecrets: [{ name: 'flaky' }] })));
  t.equal(failing.statusCode, 200);
  t.equal(failing.body.response.allowed, true);
  t.ok(classes(failing).includes('unreachable'));

  kube.fault(/secrets\/slow/, { hang: true });
  const slow = await webhook.review(admissionReview(pod('f3', [image], { imagePullSecrets: [{ name: 'slow' }] })), {
    timeout: '3s',
  });
  t.ok(slow.elapsedMs < 3000, `a hanging API is cut off by the review budget (${Math.round(slow.elapsedMs)} ms)`);
  t.equal(slow.body.response.allowed, true);
  t.ok(classes(slow).includes('timeout'));
});
