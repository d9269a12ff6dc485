import {
  AdmissionregistrationV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import { startFakeKubeApi } from './fake-kube-api.js';

async function clients(t: Test) {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  return { api, core: kc.makeApiClient(CoreV1Api), admission: kc.makeApiClient(AdmissionregistrationV1Api) };
}

const WEBHOOKS = 'admissionregistration.k8s.io/validatingwebhookconfigurations';
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);
const webhook = (name: string) => ({
  name,
  admissionReviewVersions: ['v1'],
  sideEffects: 'None',
  clientConfig: { service: { name: 'pullguard', namespace: 'pullguard' } },
});

t.test('a Secret is created, then replaced under optimistic concurrency', async (t) => {
  const { core } = await clients(t);
  const body = { metadata: { name: 'tls' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'YQ==' } };
  const created = await core.createNamespacedSecret({ namespace: 'pg', body });
  t.equal(created.metadata?.namespace, 'pg');
  await t.rejects(core.createNamespacedSecret({ namespace: 'pg', body }), { code: 409, body: /AlreadyExists/ });
  const version = created.metadata?.resourceVersion ?? '';
  const replaced = await core.replaceNamespacedSecret({
    namespace: 'pg',
    name: 'tls',
    body: { ...body, metadata: { name: 'tls', resourceVersion: version }, data: { 'tls.crt': 'Yg==' } },
  });
  t.same(replaced.data, { 'tls.crt': 'Yg==' });
  await t.rejects(
    core.replaceNamespacedSecret({
      namespace: 'pg',
      name: 'tls',
      body: { ...body, metadata: { name: 'tls', resourceVersion: version } },
    }),
    { code: 409, body: /"reason":"Conflict"/ },
  );
  await t.rejects(
    core.replaceNamespacedSecret({ namespace: 'pg', name: 'tls', body: { metadata: { name: 'tls' }, type: 'Opaque' } }),
    { code: 422 },
    'a Secret’s type cannot change',
  );
  t.same((await core.readNamespacedSecret({ namespace: 'pg', name: 'tls' })).data, { 'tls.crt': 'Yg==' });
});

t.test('a ValidatingWebhookConfiguration is cluster-scoped: read, and JSON-patched with a test op', async (t) => {
  const { api, admission } = await clients(t);
  api.add(WEBHOOKS, {
    metadata: { name: 'pullguard' },
    webhooks: [webhook('a.pullguard.io'), webhook('b.pullguard.io')],
  });
  const read = await admission.readValidatingWebhookConfiguration({ name: 'pullguard' });
  t.equal(read.metadata?.namespace, undefined);
  const version = read.metadata?.resourceVersion ?? '';
  const patched = await admission.patchValidatingWebhookConfiguration(
    {
      name: 'pullguard',
      body: [
        { op: 'test', path: '/metadata/resourceVersion', value: version },
        { op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: 'Q0E=' },
        { op: 'add', path: '/webhooks/1/clientConfig/caBundle', value: 'Q0E=' },
        { op: 'replace', path: '/webhooks/1/sideEffects', value: 'NoneOnDryRun' },
      ],
    },
    jsonPatch,
  );
  t.same(
    patched.webhooks?.map((w) => [w.clientConfig.caBundle, w.sideEffects]),
    [
      ['Q0E=', 'None'],
      ['Q0E=', 'NoneOnDryRun'],
    ],
  );
  t.not(patched.metadata?.resourceVersion, version, 'a new resourceVersion');
  t.equal(patched.metadata?.uid, read.metadata?.uid);
  // The version tested is now stale: 422 Invalid, and nothing of the patch is applied.
  await t.rejects(
    admission.patchValidatingWebhookConfiguration(
      {
        name: 'pullguard',
        body: [
          { op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: 'WA==' },
          { op: 'test', path: '/metadata/resourceVersion', value: version },
        ],
      },
      jsonPatch,
    ),
    { code: 422, body: /"reason":"Invalid"/ },
  );
  await t.rejects(
    admission.patchValidatingWebhookConfiguration(
      { name: 'pullguard', body: [{ op: 'replace', path: '/webhooks/5/sideEffects', value: 'None' }] },
      jsonPatch,
    ),
    { code: 422 },
  );
  await t.rejects(
    admission.patchValidatingWebhookConfiguration({ name: 'pullguard', body: [{ path: '/x' }] }, jsonPatch),
    { code: 400 },
  );
  await t.rejects(
    admission.patchValidatingWebhookConfiguration(
      { name: 'pullguard', body: { webhooks: [] } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    ),
    { code: 415 },
  );
  await t.rejects(admission.patchValidatingWebhookConfiguration({ name: 'absent', body: [] }, jsonPatch), {
    code: 404,
  });
  const after = await admission.readValidatingWebhookConfiguration({ name: 'pullguard' });
  t.same(
    after.webhooks?.map((w) => w.clientConfig.caBundle),
    ['Q0E=', 'Q0E='],
  );
  t.equal(after.metadata?.resourceVersion, patched.metadata?.resourceVersion, 'failed patches change nothing');
});

t.test('the webhook configuration takes no create or delete', async (t) => {
  const { api, admission } = await clients(t);
  api.add(WEBHOOKS, { metadata: { name: 'pullguard' }, webhooks: [] });
  await t.rejects(admission.createValidatingWebhookConfiguration({ body: { metadata: { name: 'other' } } }), {
    code: 405,
  });
  await t.rejects(admission.deleteValidatingWebhookConfiguration({ name: 'pullguard' }), { code: 405 });
});
