/**
 * charts/pullguard renders, with its defaults, the same objects as the kustomize base (manifests/base), so a Helm
 * install and `kubectl apply -k manifests/` never drift (docs/design.md §8). Runs the real helm (test/helpers/k8s-tools.ts):
 * `helm lint`, `helm template`, and the schema's rejections.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse } from 'yaml';
import { at, kustomize, single, type K8sObject } from '../manifests/render-manifests.js';
import { CHART, render, runHelm } from './render-chart.js';

const BASE = fileURLToPath(new URL('../../manifests/base/', import.meta.url));
/** Labels Helm's conventions add (https://helm.sh/docs/chart_best_practices/labels/), absent from the base. */
const HELM_LABELS = [
  'helm.sh/chart',
  'app.kubernetes.io/managed-by',
  'app.kubernetes.io/version',
  'app.kubernetes.io/instance',
];

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

const HASHED = /^(.*-config)-[a-z0-9]{10}$/;

/** One object as the comparison sees it: Helm's labels and labels the base lacks dropped, the config parsed. */
function normalise(o: K8sObject, base: K8sObject | undefined): K8sObject {
  const copy = structuredClone(o);
  const keepLabels = (labels: unknown, baseLabels: unknown): void => {
    if (labels === null || typeof labels !== 'object') return;
    const record = labels as Record<string, string>;
    for (const key of Object.keys(record)) {
      const inBase = baseLabels !== null && typeof baseLabels === 'object' && key in baseLabels;
      if (HELM_LABELS.includes(key) || !inBase) delete record[key];
    }
  };
  keepLabels(copy.metadata.labels, base?.metadata.labels);
  if (base?.metadata.labels === undefined) delete copy.metadata.labels;
  keepLabels(
    at(copy, ['spec', 'template', 'metadata', 'labels']),
    at(base, ['spec', 'template', 'metadata', 'labels']),
  );
  if (copy.kind === 'ConfigMap') {
    copy.metadata.name = copy.metadata.name.replace(HASHED, '$1');
    const data = copy.data as Record<string, string>;
    copy.data = { 'config.yaml': parse(data['config.yaml'] ?? '') as unknown };
  }
  if (copy.kind === 'Deployment') {
    for (const volume of at(copy, ['spec', 'template', 'spec', 'volumes']) as Array<Record<string, unknown>>) {
      const configMap = volume.configMap as { name: string } | undefined;
      if (configMap) configMap.name = configMap.name.replace(HASHED, '$1');
    }
  }
  return copy;
}

const key = (o: K8sObject): string =>
  `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name.replace(HASHED, '$1')}`;
const byKey = (a: K8sObject, b: K8sObject): number => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** Both renders, normalised and ordered by kind/namespace/name. */
function compared(chart: readonly K8sObject[], base: readonly K8sObject[]): [K8sObject[], K8sObject[]] {
  const baseByKey = new Map(base.map((o) => [key(o), o]));
  const normalisedBase = base.map((o) => normalise(o, o)).sort(byKey);
  const normalisedChart = chart.map((o) => normalise(o, baseByKey.get(key(o)))).sort(byKey);
  return [normalisedChart, normalisedBase];
}

const base = await kustomize(BASE);
const chart = await render('pullguard', 'pullguard');

t.test('helm lint --strict passes', async (t) => {
  t.match(await runHelm(['lint', '--strict', CHART]), /1 chart\(s\) linted, 0 chart\(s\) failed/);
});

t.test('the default render equals the kustomize base, object for object', async (t) => {
  const [helmObjects, kustomizeObjects] = compared(chart, base);
  t.same(helmObjects.map(key), kustomizeObjects.map(key), 'the same objects');
  for (const [i, o] of kustomizeObjects.entries()) t.same(helmObjects[i], o, key(o));
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
    const [helmObjects, kustomizeObjects] = compared(await render('pullguard', 'pullguard', [set]), base);
    t.notSame(helmObjects, kustomizeObjects, set);
  }
  const relabelled = structuredClone(chart);
  single(relabelled, 'Service').metadata.labels = {};
  const [helmObjects, kustomizeObjects] = compared(relabelled, base);
  t.notSame(helmObjects, kustomizeObjects, 'a label the base has, missing');
});

t.test('another release and namespace: names follow the release, the webhook excludes its namespace', async (t) => {
  const objects = await render('guard', 'tools');
  const webhook = single(objects, 'ValidatingWebhookConfiguration', 'guard-pullguard');
  t.same(at(webhook, ['webhooks', 0, 'clientConfig', 'service']), {
    name: 'guard-pullguard',
    namespace: 'tools',
    path: '/validate',
    port: 443,
  });
  t.same(at(webhook, ['webhooks', 0, 'namespaceSelector', 'matchExpressions', 0, 'values']), ['kube-system', 'tools']);
  t.equal(single(objects, 'Namespace').metadata.name, 'tools');
  for (const o of objects.filter((o) => !['Namespace'].includes(o.kind))) {
    t.match(o.metadata.name, /^guard-pullguard/, `${o.kind} named after the release`);
  }
});

t.test('the schema rejects unknown keys and wrong types', async (t) => {
  for (const set of ['replicas=2', 'webhook.timeoutSeconds=ten', 'webhook.failurePolicy=Maybe', 'audit.rbac.on=true']) {
    await t.rejects(
      render('pullguard', 'pullguard', [set]),
      /values don't meet the specifications|additional|got/,
      set,
    );
  }
});
