/**
 * charts/pullguard's optional objects equal their kustomize counterparts object for object: the Prometheus Operator
 * objects (`metrics.*`, manifests/monitoring) and the custom-resource rules (`webhook.customResources`,
 * manifests/overlays/custom-resources); `webhook.extraRules` come after them. Under every option, the hardening
 * holds: non-root Pods with a read-only root filesystem, a webhook that never reviews its own namespace, and every
 * Kubernetes object valid for its kind. Runs the real helm and kubectl (test/helpers/k8s-tools.ts).
 */
import t from 'tap';
import { at, single, type K8sObject } from '../manifests/render-manifests.js';
import { validateAgainstSchema } from '../manifests/schema-validate.js';
import { MODEL_OF_KIND, unknownFields } from '../manifests/strict-fields.js';
import { compared, key, kustomizeManifests, releaseObjects } from './compare-chart.js';
import { render } from './render-chart.js';

const MONITORING = ['metrics.serviceMonitor.enabled=true', 'metrics.prometheusRule.enabled=true'];
const EXTRA_RULE = {
  apiGroups: ['example.com'],
  apiVersions: ['v1'],
  operations: ['CREATE'],
  resources: ['widgets'],
  scope: 'Namespaced',
};
const rulesOf = (objects: readonly K8sObject[]): unknown[] =>
  at(single(objects, 'ValidatingWebhookConfiguration'), ['webhooks', 0, 'rules']) as unknown[];
const isMonitoring = (o: K8sObject): boolean => o.apiVersion.startsWith('monitoring.coreos.com/');

t.test('metrics: the ServiceMonitor and PrometheusRule of manifests/monitoring, object for object', async (t) => {
  const defaults = await render('pullguard', 'pullguard');
  t.equal(defaults.filter(isMonitoring).length, 0, 'off by default');
  const monitoring = await kustomizeManifests('monitoring');
  const objects = await render('pullguard', 'pullguard', MONITORING);
  const [helmObjects, kustomizeObjects] = compared(objects.filter(isMonitoring), monitoring);
  t.same(helmObjects.map(key), ['PrometheusRule/pullguard/pullguard-audit', 'ServiceMonitor/pullguard/pullguard']);
  t.same(helmObjects.map(key), kustomizeObjects.map(key), 'the same objects');
  for (const [i, o] of kustomizeObjects.entries()) t.same(helmObjects[i], o, key(o));
  const [rest, base] = releaseObjects(
    objects.filter((o) => !isMonitoring(o)),
    await kustomizeManifests('base'),
  );
  t.same(rest, base, 'the rest is the base');
  const [changed] = compared(
    (await render('pullguard', 'pullguard', [...MONITORING, 'metrics.serviceMonitor.interval=1m'])).filter(
      isMonitoring,
    ),
    monitoring,
  );
  t.notSame(changed, kustomizeObjects, 'the comparison can fail');
});

t.test('metrics: one switch each, labels and interval, the release namespace', async (t) => {
  const objects = await render(
    'guard',
    'tools',
    ['metrics.serviceMonitor.enabled=true', 'metrics.serviceMonitor.interval=1m'],
    ['metrics.serviceMonitor.labels={"release":"kps"}'],
  );
  t.same(objects.filter(isMonitoring).map(key), ['ServiceMonitor/tools/guard-pullguard']);
  const monitor = single(objects, 'ServiceMonitor');
  t.equal(monitor.metadata.labels?.release, 'kps');
  t.same(at(monitor, ['spec', 'namespaceSelector', 'matchNames']), ['tools']);
  t.equal(at(monitor, ['spec', 'endpoints', 0, 'interval']), '1m');
  const rules = await render(
    'guard',
    'tools',
    ['metrics.prometheusRule.enabled=true'],
    ['metrics.prometheusRule.labels={"release":"kps"}'],
  );
  const rule = single(rules, 'PrometheusRule', 'guard-pullguard-audit');
  t.equal(rule.metadata.namespace, 'tools');
  t.equal(rule.metadata.labels?.release, 'kps');
  t.match(JSON.stringify(at(rule, ['spec'])), /kubectl get lease -n tools pullguard-audit/);
  t.same(
    rules.filter(isMonitoring).map((o) => o.kind),
    ['PrometheusRule'],
  );
  const hourly = single(
    await render('guard', 'tools', [
      'metrics.prometheusRule.enabled=true',
      'metrics.prometheusRule.auditIntervalSeconds=3600',
    ]),
    'PrometheusRule',
    'guard-pullguard-audit',
  );
  const stale = at(hourly, ['spec', 'groups', 0, 'rules', 1]) as {
    alert: string;
    expr: string;
    annotations: { summary: string };
  };
  t.equal(stale.alert, 'PullguardAuditStale');
  t.match(stale.expr, /\) > 3 \* 3600\n/, 'the stale alert waits 3 audit intervals');
  t.match(stale.annotations.summary, /for over 180 minutes/);
});

t.test('customResources: manifests/overlays/custom-resources but its Namespace, object for object', async (t) => {
  const overlay = await kustomizeManifests('overlays/custom-resources');
  const objects = await render('pullguard', 'pullguard', ['webhook.customResources.enabled=true']);
  const [helmObjects, kustomizeObjects] = releaseObjects(objects, overlay);
  t.same(helmObjects.map(key), kustomizeObjects.map(key), 'the same objects');
  for (const [i, o] of kustomizeObjects.entries()) t.same(helmObjects[i], o, key(o));
  t.equal(rulesOf(objects).length, 14, 'the 3 built-in rules and 11 custom-resource groups');
  t.notSame(releaseObjects(await render('pullguard', 'pullguard'), overlay)[0], kustomizeObjects, 'can fail');
});

t.test('extraRules are appended as given, after the custom-resource rules', async (t) => {
  const objects = await render(
    'pullguard',
    'pullguard',
    ['webhook.customResources.enabled=true'],
    [`webhook.extraRules=${JSON.stringify([EXTRA_RULE])}`],
  );
  const rules = rulesOf(objects);
  t.equal(rules.length, 15);
  t.same(rules.at(-1), EXTRA_RULE);
  const alone = rulesOf(
    await render('pullguard', 'pullguard', [], [`webhook.extraRules=${JSON.stringify([EXTRA_RULE])}`]),
  );
  t.same(alone.length, 4);
  t.same(alone.at(-1), EXTRA_RULE);
});

const VARIANTS: Record<string, [string[], string[]]> = {
  defaults: [[], []],
  'namespace.create': [['namespace.create=true'], []],
  'generate with SANs': [['certificates.generate.days=30'], ['certificates.generate.extraSans=["a.example"]']],
  certManager: [['certificates.mode=certManager'], []],
  'certManager, ClusterIssuer': [
    ['certificates.mode=certManager', 'certificates.certManager.issuerRef.name=ca'],
    ['certificates.certManager.issuerRef={"name":"ca","kind":"ClusterIssuer","group":"cert-manager.io"}'],
  ],
  existingSecret: [['certificates.mode=existingSecret', 'webhook.caBundle=Q0E='], []],
  metrics: [MONITORING, []],
  'customResources and extraRules': [
    ['webhook.customResources.enabled=true'],
    [`webhook.extraRules=${JSON.stringify([EXTRA_RULE])}`],
  ],
};

t.test('under every option: hardened Pods, the own namespace never reviewed, valid objects', async (t) => {
  for (const [name, [sets, jsonSets]] of Object.entries(VARIANTS)) {
    for (const namespace of ['pullguard', 'tools']) {
      const objects = await render('pullguard', namespace, sets, jsonSets);
      const label = `${name} in ${namespace}`;
      const pods = objects
        .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
        .map((o) => [key(o), at(o, ['spec', 'template', 'spec'])] as const);
      t.ok(
        pods.some(([k]) => k.startsWith('Deployment/')),
        `${label}: the Deployment`,
      );
      for (const [k, pod] of pods) {
        t.match(at(pod, ['securityContext']), { runAsNonRoot: true, runAsUser: 65532 }, `${label}: ${k}`);
        t.match(
          at(pod, ['containers', 0, 'securityContext']),
          { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
          `${label}: ${k} container`,
        );
      }
      const excluded = (
        at(single(objects, 'ValidatingWebhookConfiguration'), [
          'webhooks',
          0,
          'namespaceSelector',
          'matchExpressions',
        ]) as Array<{ key: string; operator: string; values: string[] }>
      ).find((e) => e.key === 'kubernetes.io/metadata.name');
      t.equal(excluded?.operator, 'NotIn', label);
      t.ok(excluded?.values.includes(namespace), `${label}: ${namespace} excluded`);
      for (const o of objects.filter((o) => MODEL_OF_KIND[o.kind] !== undefined)) {
        t.doesNotThrow(() => validateAgainstSchema(o), `${label}: ${key(o)} validates`);
        t.same(unknownFields(o, MODEL_OF_KIND[o.kind] ?? ''), [], `${label}: ${key(o)} has no unknown field`);
      }
    }
  }
});
