/**
 * charts/pullguard renders, with its defaults, the same objects as the kustomize base (manifests/base), so a Helm
 * install and `kubectl apply -k manifests/` never drift (docs/design.md §8): every object but the base's Namespace
 * (`helm install --create-namespace` creates it; `namespace.create=true` renders it as the base) and the certificate
 * hooks (test/charts/chart-certificates.test.ts), which the base leaves to `pullguard certs --manifests`. Runs the
 * real helm (test/helpers/k8s-tools.ts): `helm lint`, `helm template`, and the schema's rejections.
 */
import { createHash } from 'node:crypto';
import t from 'tap';
import { at, single } from '../manifests/render-manifests.js';
import { HASHED, compared, isHook, key, kustomizeManifests, releaseObjects } from './compare-chart.js';
import { CHART, render, runHelm } from './render-chart.js';

/**
 * kustomize's ConfigMap name hash: sha256 of the JSON of kind, data and name (keys sorted, as Go's encoding/json
 * writes a map; kustomize v5 hashes before the name is set, so it is empty), first 10 hex digits with 0,1,3,a,e
 * mapped to g,h,k,m,t (https://github.com/kubernetes-sigs/kustomize/blob/master/api/hasher/hasher.go).
 */
function kustomizeHash(data: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1)));
  const json = JSON.stringify({ data: sorted, kind: 'ConfigMap', name: '' }).replace(
    /[<>&]/g,
    (c) => `\\u00${c.charCodeAt(0).toString(16)}`,
  );
  const hex = createHash('sha256').update(json).digest('hex').slice(0, 10);
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex].map((c) => map[c] ?? c).join('');
}

const base = await kustomizeManifests('base');
const chart = await render('pullguard', 'pullguard');

t.test(
  'helm lint --strict passes with the defaults, each certificates mode and every object switched on',
  async (t) => {
    const everything = [
      'namespace.create=true',
      'metrics.serviceMonitor.enabled=true',
      'metrics.prometheusRule.enabled=true',
      'webhook.customResources.enabled=true',
    ];
    const modes = [[], ['certificates.mode=certManager'], ['certificates.mode=existingSecret']];
    for (const sets of [...modes, everything, ['certificates.mode=certManager', ...everything]]) {
      const args = sets.flatMap((s) => ['--set', s]);
      t.match(await runHelm(['lint', '--strict', CHART, ...args]), /1 chart\(s\) linted, 0 chart\(s\) failed/);
    }
    await t.rejects(runHelm(['lint', '--strict', CHART, '--set', 'replicas=2']), /failed/, 'lint can fail');
  },
);

t.test('the default render equals the kustomize base but its Namespace, object for object', async (t) => {
  const [helmObjects, kustomizeObjects] = releaseObjects(chart, base);
  t.ok(kustomizeObjects.length >= 10, `${kustomizeObjects.length} objects`);
  t.same(helmObjects.map(key), kustomizeObjects.map(key), 'the same objects');
  for (const [i, o] of kustomizeObjects.entries()) t.same(helmObjects[i], o, key(o));
  t.equal(chart.filter((o) => o.kind === 'Namespace').length, 0, 'no Namespace by default');
  t.ok(chart.some(isHook), 'the certificate hooks are rendered besides');
});

t.test("namespace.create=true renders the base's Namespace exactly, Pod Security labels included", async (t) => {
  const objects = await render('pullguard', 'pullguard', ['namespace.create=true']);
  const namespace = single(base, 'Namespace');
  t.match(namespace.metadata.labels, { 'pod-security.kubernetes.io/enforce': 'restricted' });
  const [helmObjects, kustomizeObjects] = compared(
    objects.filter((o) => !isHook(o)),
    base,
  );
  t.same(helmObjects, kustomizeObjects, 'the base in full');
  const [[rendered], [expected]] = compared([single(objects, 'Namespace')], [namespace]);
  t.same(rendered, expected, 'the Namespace');
  const relabelled = structuredClone(single(objects, 'Namespace'));
  delete relabelled.metadata.labels?.['pod-security.kubernetes.io/enforce'];
  t.notSame(compared([relabelled], [namespace])[0], compared([namespace], [namespace])[0], 'a missing label fails');
});

t.test("the ConfigMap's name hash is kustomize's, over each render's own config.yaml", async (t) => {
  for (const objects of [base, chart]) {
    const configMap = single(objects, 'ConfigMap');
    const [, name] = HASHED.exec(configMap.metadata.name) ?? [];
    t.ok(name, `${configMap.metadata.name} carries a hash`);
    t.equal(configMap.metadata.name, `${name}-${kustomizeHash(configMap.data as Record<string, string>)}`);
  }
  const changed = single(await render('pullguard', 'pullguard', ['config.mode=enforce']), 'ConfigMap');
  t.not(changed.metadata.name, single(chart, 'ConfigMap').metadata.name, 'a config change changes the name');
});

t.test('the comparison can fail', async (t) => {
  for (const set of ['webhook.timeoutSeconds=11', 'networkPolicy.enabled=false', 'image.tag=0.2.0']) {
    const [helmObjects, kustomizeObjects] = releaseObjects(await render('pullguard', 'pullguard', [set]), base);
    t.notSame(helmObjects, kustomizeObjects, set);
  }
  const relabelled = structuredClone(chart);
  single(relabelled, 'Service').metadata.labels = {};
  const [helmObjects, kustomizeObjects] = releaseObjects(relabelled, base);
  t.notSame(helmObjects, kustomizeObjects, 'a label the base has, missing');
});

t.test('another release and namespace: names follow the release, the webhook excludes its namespace', async (t) => {
  const objects = await render('guard', 'tools', ['namespace.create=true']);
  const webhook = single(objects, 'ValidatingWebhookConfiguration', 'guard-pullguard');
  t.same(at(webhook, ['webhooks', 0, 'clientConfig', 'service']), {
    name: 'guard-pullguard',
    namespace: 'tools',
    path: '/validate',
    port: 443,
  });
  t.same(at(webhook, ['webhooks', 0, 'namespaceSelector', 'matchExpressions', 0, 'values']), ['kube-system', 'tools']);
  t.equal(single(objects, 'Namespace').metadata.name, 'tools');
  for (const o of objects.filter((o) => o.kind !== 'Namespace')) {
    t.match(o.metadata.name, /^guard-pullguard/, `${o.kind} named after the release`);
  }
});

t.test('the schema rejects unknown keys and wrong types', async (t) => {
  const rejected = [
    'replicas=2',
    'webhook.timeoutSeconds=ten',
    'webhook.failurePolicy=Maybe',
    'audit.rbac.on=true',
    'certificates.mode=selfSigned',
    'certificates.certManager.issuerRef.kind=Vault',
    'certificates.generate.days=0',
    'certificates.certManager.duration=90d',
    'certificates.secret=x',
    'certificates.generate.sans[0]=x',
    'metrics.enabled=true',
    'metrics.serviceMonitor.port=8080',
    'metrics.serviceMonitor.interval=30s1m',
    'metrics.prometheusRule.enabled=yes',
    'webhook.customResources.all=true',
    'webhook.extraRules=rules',
    'webhook.extraRules[0].verbs[0]=create',
    'webhook.extraRules[0].operations[0]=PATCH',
    'podLabels.app\\.kubernetes\\.io/name=other',
    'podLabels.helm\\.sh/chart=other',
    'podAnnotations.sidecar\\.istio\\.io/inject=false',
    'metrics.prometheusRule.auditIntervalSeconds=0',
  ];
  for (const set of rejected) {
    await t.rejects(
      render('pullguard', 'pullguard', [set]),
      /values don't meet the specifications|additional|got/,
      set,
    );
  }
  await t.rejects(
    render('pullguard', 'pullguard', ['certificates.existingSecret=my-tls']),
    /certificates.existingSecret is read only with certificates.mode=existingSecret/,
    'an existing Secret outside existingSecret mode',
  );
});
