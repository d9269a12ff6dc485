/**
 * Kubelet credential providers (credentials.credentialProviderConfig) end to end through POST /validate: the real
 * Distribution registry answering 401 to anonymous pulls (basic mode), the ServiceAccounts in the fake Kubernetes
 * API read through @kubernetes/client-node, and the provider config read from a file as the kubelet's.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startFakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { pushImage, startRegistry } from '../harness/registry/index.js';
import { admissionReview, deployment, pod, startWebhookUnderTest } from '../helpers/engine-webhook.js';
import { startShopCluster } from '../helpers/shop-cluster.js';

const ROBOT_KEY = 'registry.example.com/robot-account';

function providerConfig(host: string): string {
  // YAML as a node would have it; the registry's host:port stands in for an ECR or Quay host.
  return [
    'apiVersion: kubelet.config.k8s.io/v1',
    'kind: CredentialProviderConfig',
    'providers:',
    '  - name: ecr-credential-provider',
    `    matchImages: ["${host}/team"]`,
    '    defaultCacheDuration: 12h',
    '    apiVersion: credentialprovider.kubelet.k8s.io/v1',
    '  - name: robot-credential-provider',
    `    matchImages: ["${host}/robot"]`,
    '    defaultCacheDuration: 1h',
    '    apiVersion: credentialprovider.kubelet.k8s.io/v1',
    '    tokenAttributes:',
    `      serviceAccountTokenAudience: ${host}`,
    '      requireServiceAccount: true',
    `      requiredServiceAccountAnnotationKeys: ["${ROBOT_KEY}"]`,
    '      cacheType: ServiceAccount',
    '',
  ].join('\n');
}

function classes(answer: { body: any }): string[] {
  const text = answer.body.response?.auditAnnotations?.findings;
  return text ? JSON.parse(text).map((f: { class: string }) => f.class) : [];
}

const text = (answer: { body: any }): string =>
  [answer.body.response?.status?.message ?? '', ...(answer.body.response?.warnings ?? [])].join('\n');

t.test('credential providers through the real webhook and registry', async (t) => {
  const reg = await startRegistry({ mode: 'basic' });
  t.teardown(() => reg.stop());
  await pushImage(reg, { repository: 'team/private', tags: ['1.0'], format: 'oci-manifest' });
  await pushImage(reg, { repository: 'robot/app', tags: ['1.0'], format: 'oci-manifest' });
  const kube = await startFakeKubeApi();
  t.teardown(() => kube.close());
  kube.addNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  const account = (name: string, annotations?: Record<string, string>) =>
    kube.addServiceAccount({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { namespace: 'shop', name, ...(annotations ? { annotations } : {}) },
    });
  account('default');
  account('plain', { 'example.com/unrelated': 'x' });
  account('robot', { [ROBOT_KEY]: 'robot-42' });
  kube.addSecret({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { namespace: 'shop', name: 'badpass' },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: {
      '.dockerconfigjson': JSON.stringify({
        auths: { [reg.host]: { auth: Buffer.from('alice:wrong').toString('base64') } },
      }),
    },
  });
  const dir = await mkdtemp(join(tmpdir(), 'pg-providers-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'credential-providers.yaml');
  await writeFile(file, providerConfig(reg.host));
  const registries = [{ host: reg.host, caFile: reg.caFile }];
  const webhook = await startWebhookUnderTest({
    config: { registries, credentials: { kubernetes: true, credentialProviderConfig: file } },
    kubeconfigPath: kube.kubeconfigPath,
  });
  t.teardown(() => webhook.close());
  const without = await startWebhookUnderTest({
    config: { registries, credentials: { kubernetes: true } },
    kubeconfigPath: kube.kubeconfigPath,
  });
  t.teardown(() => without.close());
  const teamImage = `${reg.host}/team/private:1.0`;
  const robotImage = `${reg.host}/robot/app:1.0`;

  t.test('a provider-matched image answering 401 is a nodeCredentials warning, allowed', async (t) => {
    const answer = await webhook.review(admissionReview(pod('a', [teamImage])));
    t.equal(answer.body.response.allowed, true);
    t.same(classes(answer), ['nodeCredentials']);
    t.match(
      text(answer),
      /container "c0": unverified: credential provider ecr-credential-provider pulls .*team\/private:1\.0/,
    );
    const withSecret = await webhook.review(
      admissionReview(pod('a2', [teamImage], { imagePullSecrets: [{ name: 'badpass' }] })),
    );
    t.equal(
      withSecret.body.response.allowed,
      true,
      'whatever pod secrets matched too: the kubelet tries the provider as well',
    );
    t.same(classes(withSecret), ['nodeCredentials']);
  });

  t.test('the same image without the provider config is denied as unauthorized', async (t) => {
    const answer = await without.review(admissionReview(pod('b', [teamImage])));
    t.equal(answer.body.response.allowed, false);
    t.same(classes(answer), ['unauthorized']);
  });

  t.test('a ServiceAccount lacking a required annotation is denied, naming the key and the fix', async (t) => {
    const answer = await webhook.review(admissionReview(pod('c', [robotImage], { serviceAccountName: 'plain' })));
    t.equal(answer.body.response.allowed, false);
    t.same(classes(answer), ['missingServiceAccountAnnotation']);
    const message = text(answer);
    t.match(message, /credential provider robot-credential-provider/);
    t.match(message, /service account shop\/plain lacks it/);
    t.match(message, `kubectl annotate serviceaccount plain -n shop ${ROBOT_KEY}=<value>`);
    const template = await webhook.review(admissionReview(deployment('c2', [robotImage])));
    t.same(classes(template), ['missingServiceAccountAnnotation'], "a template's service account (default) too");
    t.match(text(template), /kubectl annotate serviceaccount default -n shop/);
  });

  t.test('a ServiceAccount with the annotation: the provider is called, a warning only', async (t) => {
    const answer = await webhook.review(admissionReview(pod('d', [robotImage], { serviceAccountName: 'robot' })));
    t.equal(answer.body.response.allowed, true);
    t.same(classes(answer), ['nodeCredentials']);
    t.notMatch(text(answer), /robot-42/, 'annotation values are never shown');
  });

  t.test('images no provider matches are unchanged', async (t) => {
    const answer = await webhook.review(admissionReview(pod('e', [`${reg.host}/other/app:1.0`])));
    t.same(classes(answer), ['unauthorized']);
  });
});

t.test('a skipped provider denies even where pullguard reads the image anonymously', async (t) => {
  // The kubelet pulls without the provider's credentials; what pullguard could read from its own pod is no proof
  // that the node's pull works (the provider is configured because the registry wants credentials).
  const reg = await startRegistry({ mode: 'plain' });
  t.teardown(() => reg.stop());
  await pushImage(reg, { repository: 'robot/app', tags: ['1.0'], format: 'oci-manifest' });
  const kube = await startShopCluster(t);
  const dir = await mkdtemp(join(tmpdir(), 'pg-providers-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'credential-providers.yaml');
  await writeFile(file, providerConfig(reg.host));
  const webhook = await startWebhookUnderTest({
    config: {
      registries: [{ host: reg.host, plainHttp: true }],
      credentials: { kubernetes: true, credentialProviderConfig: file },
    },
    kubeconfigPath: kube.kubeconfigPath,
  });
  t.teardown(() => webhook.close());
  const answer = await webhook.review(admissionReview(pod('p', [`${reg.host}/robot/app:1.0`])));
  t.equal(answer.body.response.allowed, false);
  t.same(classes(answer), ['missingServiceAccountAnnotation']);
  t.match(text(answer), `kubectl annotate serviceaccount default -n shop ${ROBOT_KEY}=<value>`);
  t.match(text(answer), 'the kubelet does not call the provider, and pulls without its credentials.');
  const other = await webhook.review(
    admissionReview(pod('q', [`${reg.host}/robot/app:1.0`], { serviceAccountName: 'default' })),
  );
  t.same(classes(other), ['missingServiceAccountAnnotation'], 'the same with the service account named');
});

t.test('an unreadable or invalid provider config stops start-up with one clear line', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pg-providers-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const start = (credentialProviderConfig: string) =>
    startWebhookUnderTest({ config: { credentials: { kubernetes: false, credentialProviderConfig } } });
  await t.rejects(start(join(dir, 'missing.yaml')), {
    code: 'PG_CREDENTIAL_PROVIDER_CONFIG_UNREADABLE',
    message: /missing\.yaml \(ENOENT\); check credentials\.credentialProviderConfig/,
  });
  const bad = join(dir, 'bad.yaml');
  await writeFile(
    bad,
    'apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\nproviders:\n  - name: x\n    matchImage: ["a"]\n',
  );
  await t.rejects(start(bad), {
    code: 'PG_CREDENTIAL_PROVIDER_CONFIG_INVALID',
    message: /bad\.yaml: providers\[0\]\.matchImage: unknown field .*providers\[0\]\.matchImages: at least 1 item/,
  });
});
