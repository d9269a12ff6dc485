/**
 * Test helpers: compare a `helm template` render of charts/pullguard with a `kubectl kustomize` render of manifests/,
 * object for object, after dropping the labels Helm's conventions add and reading the ConfigMap's config.yaml as
 * data. The kustomizations are rendered by the real kubectl v1.35 (test/helpers/k8s-tools.ts), whose kustomize v5
 * renders every overlay and hashes ConfigMap names as the chart does.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { k8sTools } from '../helpers/k8s-tools.js';
import { at, kustomize, type K8sObject } from '../manifests/render-manifests.js';

const MANIFESTS = fileURLToPath(new URL('../../manifests/', import.meta.url));

/** Labels Helm's conventions add (https://helm.sh/docs/chart_best_practices/labels/), absent from the base. */
const HELM_LABELS = [
  'helm.sh/chart',
  'app.kubernetes.io/managed-by',
  'app.kubernetes.io/version',
  'app.kubernetes.io/instance',
];

export const HASHED = /^(.*-config)-[a-z0-9]{10}$/;

/** `kubectl kustomize manifests/<dir>` with kubectl v1.35. */
export async function kustomizeManifests(dir: string): Promise<K8sObject[]> {
  return kustomize(join(MANIFESTS, dir), (await k8sTools()).kubectl);
}

/** A Helm hook (https://helm.sh/docs/topics/charts_hooks/): not part of the release's objects. */
export const isHook = (o: K8sObject): boolean => o.metadata.annotations?.['helm.sh/hook'] !== undefined;

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

export const key = (o: K8sObject): string =>
  `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name.replace(HASHED, '$1')}`;
const byKey = (a: K8sObject, b: K8sObject): number => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** Both renders, normalised and ordered by kind/namespace/name. */
export function compared(chart: readonly K8sObject[], base: readonly K8sObject[]): [K8sObject[], K8sObject[]] {
  const baseByKey = new Map(base.map((o) => [key(o), o]));
  const normalisedBase = base.map((o) => normalise(o, o)).sort(byKey);
  const normalisedChart = chart.map((o) => normalise(o, baseByKey.get(key(o)))).sort(byKey);
  return [normalisedChart, normalisedBase];
}

/** The objects a release owns (hooks left out), and the kustomize render without its Namespace. */
export function releaseObjects(chart: readonly K8sObject[], base: readonly K8sObject[]): [K8sObject[], K8sObject[]] {
  return compared(
    chart.filter((o) => !isHook(o)),
    base.filter((o) => o.kind !== 'Namespace'),
  );
}
