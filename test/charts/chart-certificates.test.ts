/**
 * charts/pullguard's three certificate modes (`certificates.mode`, docs/install.md): `generate` runs `pullguard certs`
 * in two Helm hook Jobs with their own minimal RBAC; `certManager` renders manifests/overlays/cert-manager object for
 * object (or a Certificate from the issuer given); `existingSecret` mounts a Secret made beforehand. Runs the real
 * helm and kubectl (test/helpers/k8s-tools.ts).
 */
import t from 'tap';
import { at, single, type K8sObject } from '../manifests/render-manifests.js';
import { validateAgainstSchema } from '../manifests/schema-validate.js';
import { MODEL_OF_KIND, unknownFields } from '../manifests/strict-fields.js';
import { isHook, key, kustomizeManifests, releaseObjects } from './compare-chart.js';
import { render } from './render-chart.js';

const ALL_HOOK_EVENTS = 'pre-install,pre-upgrade,post-install,post-upgrade';
const DELETE_POLICY = 'before-hook-creation,hook-succeeded';

const defaults = await render('pullguard', 'pullguard');
const hooks = defaults.filter(isHook);
const job = (objects: readonly K8sObject[], name: string): K8sObject => single(objects, 'Job', name);
const argsOf = (o: K8sObject): unknown => at(o, ['spec', 'template', 'spec', 'containers', 0, 'args']);

t.test('generate (the default): a ServiceAccount, RBAC and two Jobs, all Helm hooks', async (t) => {
  t.same(hooks.map(key).sort(), [
    'ClusterRole//pullguard-certs',
    'ClusterRoleBinding//pullguard-certs',
    'Job/pullguard/pullguard-certs-create',
    'Job/pullguard/pullguard-certs-patch',
    'Role/pullguard/pullguard-certs',
    'RoleBinding/pullguard/pullguard-certs',
    'ServiceAccount/pullguard/pullguard-certs',
  ]);
  for (const o of hooks) {
    const annotations = o.metadata.annotations ?? {};
    t.equal(annotations['helm.sh/hook-delete-policy'], DELETE_POLICY, `${key(o)} deleted once its phase succeeded`);
    t.equal(o.metadata.labels?.['app.kubernetes.io/component'], 'certificates', `${key(o)} is no webhook object`);
    if (o.kind === 'Job') continue;
    t.equal(annotations['helm.sh/hook'], ALL_HOOK_EVENTS, `${key(o)} exists in both phases`);
    t.ok(Number(annotations['helm.sh/hook-weight']) < 0, `${key(o)} before the Jobs`);
  }
  const create = job(hooks, 'pullguard-certs-create');
  const patch = job(hooks, 'pullguard-certs-patch');
  t.match(create.metadata.annotations, { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '0' });
  t.match(patch.metadata.annotations, { 'helm.sh/hook': 'post-install,post-upgrade', 'helm.sh/hook-weight': '0' });
  const args = ['certs', '--secret', 'pullguard-tls', '--namespace', 'pullguard', '--service', 'pullguard'];
  t.same(argsOf(create), [...args, '--days', '3650']);
  t.same(argsOf(patch), [...args, '--days', '3650', '--patch-webhook', 'pullguard']);
});

t.test('the certs RBAC grants exactly what `pullguard certs` needs', async (t) => {
  t.same(at(single(hooks, 'Role', 'pullguard-certs'), ['rules']), [
    { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
    { apiGroups: [''], resources: ['secrets'], resourceNames: ['pullguard-tls'], verbs: ['get', 'update'] },
  ]);
  t.same(at(single(hooks, 'ClusterRole', 'pullguard-certs'), ['rules']), [
    {
      apiGroups: ['admissionregistration.k8s.io'],
      resources: ['validatingwebhookconfigurations'],
      resourceNames: ['pullguard'],
      verbs: ['get', 'patch'],
    },
  ]);
  const subject = { kind: 'ServiceAccount', name: 'pullguard-certs', namespace: 'pullguard' };
  for (const [kind, roleKind] of [
    ['RoleBinding', 'Role'],
    ['ClusterRoleBinding', 'ClusterRole'],
  ] as const) {
    const binding = single(hooks, kind, 'pullguard-certs');
    t.same(at(binding, ['subjects']), [subject], `${kind} subject`);
    t.match(at(binding, ['roleRef']), { kind: roleKind, name: 'pullguard-certs' }, `${kind} role`);
  }
  t.equal(at(single(hooks, 'ServiceAccount', 'pullguard-certs'), ['automountServiceAccountToken']), true);
  t.equal(at(single(defaults, 'ServiceAccount', 'pullguard'), ['automountServiceAccountToken']), undefined);
});

t.test('the Jobs: retried, bounded, cleaned up, restricted Pod Security, never selected as webhook Pods', async (t) => {
  const webhookSelectors = [
    at(single(defaults, 'Service'), ['spec', 'selector']),
    at(single(defaults, 'PodDisruptionBudget'), ['spec', 'selector', 'matchLabels']),
    at(single(defaults, 'NetworkPolicy'), ['spec', 'podSelector', 'matchLabels']),
  ] as Array<Record<string, string>>;
  for (const name of ['pullguard-certs-create', 'pullguard-certs-patch']) {
    const spec = at(job(hooks, name), ['spec']) as Record<string, unknown>;
    t.match(spec, { backoffLimit: 6, activeDeadlineSeconds: Number, ttlSecondsAfterFinished: Number }, name);
    const pod = at(spec, ['template', 'spec']) as Record<string, unknown>;
    t.match(pod, {
      restartPolicy: 'Never',
      serviceAccountName: 'pullguard-certs',
      automountServiceAccountToken: true,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          image: 'ghcr.io/pullguard/pullguard:0.1.0',
          resources: { limits: { memory: String }, requests: { cpu: String } },
          securityContext: {
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          },
        },
      ],
    });
    const labels = at(spec, ['template', 'metadata', 'labels']) as Record<string, string>;
    for (const selector of webhookSelectors) {
      t.notOk(
        Object.entries(selector).every(([k, v]) => labels[k] === v),
        `${name} outside ${JSON.stringify(selector)}`,
      );
    }
    t.doesNotThrow(() => validateAgainstSchema(job(hooks, name)), `${name} validates`);
    t.same(unknownFields(job(hooks, name), MODEL_OF_KIND.Job ?? ''), [], `${name}: no unknown field`);
  }
});

t.test("the Jobs follow the image, scheduling and certificate values, and the release's names", async (t) => {
  const objects = await render(
    'guard',
    'admission',
    [
      'image.tag=0.2.0',
      'imagePullSecrets[0]=regcred',
      'priorityClassName=system-cluster-critical',
      'nodeSelector.kubernetes\\.io/os=linux',
      'certificates.generate.days=90',
    ],
    [
      'certificates.generate.extraSans=["pullguard.example.com","10.0.0.9"]',
      'tolerations=[{"key":"dedicated","operator":"Exists","effect":"NoSchedule"}]',
    ],
  );
  const patch = job(objects, 'guard-pullguard-certs-patch');
  t.same(argsOf(patch), [
    ...['certs', '--secret', 'guard-pullguard-tls', '--namespace', 'admission', '--service', 'guard-pullguard'],
    ...['--days', '90', '--san', 'pullguard.example.com', '--san', '10.0.0.9', '--patch-webhook', 'guard-pullguard'],
  ]);
  t.match(at(job(objects, 'guard-pullguard-certs-create'), ['spec', 'template', 'spec']), {
    priorityClassName: 'system-cluster-critical',
    imagePullSecrets: [{ name: 'regcred' }],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'dedicated' }],
    containers: [{ image: 'ghcr.io/pullguard/pullguard:0.2.0' }],
  });
  t.same(at(single(objects, 'Role', 'guard-pullguard-certs'), ['rules', 1, 'resourceNames']), ['guard-pullguard-tls']);
  t.same(at(single(objects, 'ClusterRole', 'guard-pullguard-certs'), ['rules', 0, 'resourceNames']), [
    'guard-pullguard',
  ]);
  t.equal(
    at(single(objects, 'Deployment'), ['spec', 'template', 'spec', 'volumes', 1, 'secret', 'secretName']),
    'guard-pullguard-tls',
    'the Deployment mounts the Secret the Jobs write',
  );
});

t.test('certManager: manifests/overlays/cert-manager but its Namespace, object for object', async (t) => {
  const objects = await render('pullguard', 'pullguard', ['certificates.mode=certManager']);
  t.equal(objects.filter(isHook).length, 0, 'no certs Jobs');
  const overlay = await kustomizeManifests('overlays/cert-manager');
  const [helmObjects, kustomizeObjects] = releaseObjects(objects, overlay);
  t.same(helmObjects.map(key), kustomizeObjects.map(key), 'the same objects');
  for (const [i, o] of kustomizeObjects.entries()) t.same(helmObjects[i], o, key(o));
  const [changed] = releaseObjects(
    await render('pullguard', 'pullguard', ['certificates.mode=certManager', 'certificates.certManager.duration=24h']),
    overlay,
  );
  t.notSame(changed, kustomizeObjects, 'the comparison can fail');
});

t.test('certManager with a ClusterIssuer: no CA chain, the issuerRef as given', async (t) => {
  const objects = await render('guard', 'admission', [
    'certificates.mode=certManager',
    'certificates.certManager.issuerRef.name=corp-ca',
    'certificates.certManager.issuerRef.kind=ClusterIssuer',
    'certificates.certManager.duration=720h',
    'certificates.certManager.renewBefore=240h',
  ]);
  t.equal(objects.filter((o) => o.kind === 'Issuer').length, 0, 'no Issuer');
  const certificate = single(objects, 'Certificate');
  t.equal(certificate.metadata.name, 'guard-pullguard-tls');
  t.match(at(certificate, ['spec']), {
    secretName: 'guard-pullguard-tls',
    commonName: 'guard-pullguard.admission.svc',
    duration: '720h',
    renewBefore: '240h',
  });
  t.same(at(certificate, ['spec', 'issuerRef']), { name: 'corp-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
  t.ok((at(certificate, ['spec', 'dnsNames']) as string[]).includes('guard-pullguard.admission.svc'));
  const webhook = single(objects, 'ValidatingWebhookConfiguration');
  t.equal(webhook.metadata.annotations?.['cert-manager.io/inject-ca-from'], 'admission/guard-pullguard-tls');
});

t.test('existingSecret: no hooks, no cert-manager objects, the named Secret and caBundle', async (t) => {
  const objects = await render('pullguard', 'pullguard', [
    'certificates.mode=existingSecret',
    'certificates.existingSecret=corp-tls',
    'webhook.caBundle=Q0E=',
  ]);
  t.same(
    objects.filter((o) => isHook(o) || o.apiVersion.startsWith('cert-manager.io/')),
    [],
  );
  const pod = at(single(objects, 'Deployment'), ['spec', 'template', 'spec']);
  t.equal(at(pod, ['volumes', 1, 'secret', 'secretName']), 'corp-tls');
  const webhook = single(objects, 'ValidatingWebhookConfiguration');
  t.equal(at(webhook, ['webhooks', 0, 'clientConfig', 'caBundle']), 'Q0E=');
  t.equal(webhook.metadata.annotations, undefined, 'no cainjector annotation');
  const unnamed = await render('pullguard', 'pullguard', ['certificates.mode=existingSecret']);
  t.equal(
    at(single(unnamed, 'Deployment'), ['spec', 'template', 'spec', 'volumes', 1, 'secret', 'secretName']),
    'pullguard-tls',
  );
});
