import t from 'tap';
import { checkedKinds, classifyDocument } from './classify-document.js';
import { parseFieldPath } from '../runtime/field-path.js';
import { BUILT_IN_WORKLOADS, workloadCatalog } from '../workload/workload-catalog.js';

const classify = (value: unknown) => classifyDocument({ file: 'f.yaml', line: 3, value }, BUILT_IN_WORKLOADS);

function segments(text: string) {
  const parsed = parseFieldPath(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.segments;
}

/** A `workloads:` entry as the config file gives it. */
const WIDGET = {
  group: 'example.com',
  kind: 'Widget',
  podSpecs: [segments('spec.template.spec')],
  containers: [],
  initContainers: [],
};

t.test('kinds of docs/design.md §1.1 are checked, with kubectl defaults for the namespace', async (t) => {
  const cases: Array<[string, unknown, object]> = [
    [
      'Pod',
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' } },
      { kind: 'Pod', namespace: 'shop', name: 'p' },
    ],
    [
      'no namespace: default',
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } },
      { kind: 'Deployment', namespace: 'default', name: 'd' },
    ],
    [
      'generateName',
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'job-' } },
      { kind: 'Job', namespace: 'default', name: 'job-' },
    ],
    ['no metadata', { apiVersion: 'batch/v1', kind: 'CronJob' }, { kind: 'CronJob', namespace: 'default', name: '' }],
    [
      'an older version',
      { apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: 'c' } },
      { kind: 'CronJob', namespace: 'default', name: 'c' },
    ],
    [
      'batch/v2alpha1',
      { apiVersion: 'batch/v2alpha1', kind: 'CronJob', metadata: { name: 'c' } },
      { kind: 'CronJob', namespace: 'default', name: 'c' },
    ],
    [
      'apps/v1beta2',
      { apiVersion: 'apps/v1beta2', kind: 'StatefulSet', metadata: { name: 's' } },
      { kind: 'StatefulSet', namespace: 'default', name: 's' },
    ],
    [
      'extensions/v1beta1, before DaemonSet moved to apps',
      { apiVersion: 'extensions/v1beta1', kind: 'DaemonSet', metadata: { name: 'ds', namespace: 'kube-system' } },
      { kind: 'DaemonSet', namespace: 'kube-system', name: 'ds' },
    ],
    [
      'a custom resource with pod specs',
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r' } },
      { kind: 'Rollout', namespace: 'default', name: 'r' },
    ],
  ];
  for (const [name, value, identity] of cases) {
    const result = classify(value);
    t.equal(result.type, 'check', name);
    if (result.type === 'check') {
      t.same(result.target.identity, identity, `${name}: identity`);
      t.same([result.target.file, result.target.line, result.target.object], ['f.yaml', 3, value], `${name}: source`);
    }
  }
  const cron = classify({ apiVersion: 'batch/v1beta1', kind: 'CronJob' });
  t.same(cron.type === 'check' && cron.target.gvk, { group: 'batch', version: 'v1beta1', kind: 'CronJob' });
  const daemonSet = classify({ apiVersion: 'extensions/v1beta1', kind: 'DaemonSet' });
  t.same(
    daemonSet.type === 'check' && daemonSet.target.gvk,
    { group: 'extensions', version: 'v1beta1', kind: 'DaemonSet' },
    'the reviewer gets the object as written',
  );
});

t.test('a row that reads some versions only: another version is skipped with a note naming them', async (t) => {
  const result = classify({ apiVersion: 'serving.knative.dev/v1alpha1', kind: 'Service', metadata: { name: 'x' } });
  t.same(result, {
    type: 'skip',
    note:
      'f.yaml:3: Service (serving.knative.dev/v1alpha1) is an older schema pullguard does not read ' +
      '(it reads serving.knative.dev/v1, serving.knative.dev/v1beta1); skipped',
  });
  const v1beta1 = classify({ apiVersion: 'serving.knative.dev/v1beta1', kind: 'Service', metadata: { name: 'x' } });
  t.equal(v1beta1.type, 'check');
});

t.test('the custom resources of the built-in table are checked, whatever their version', async (t) => {
  const kinds: Array<[apiVersion: string, kind: string]> = [
    ['argoproj.io/v1alpha1', 'Workflow'],
    ['argoproj.io/v1alpha1', 'CronWorkflow'],
    ['tekton.dev/v1', 'Task'],
    ['tekton.dev/v1beta1', 'Pipeline'],
    ['serving.knative.dev/v1', 'Service'],
    ['serving.kserve.io/v1beta1', 'InferenceService'],
  ];
  for (const [apiVersion, kind] of kinds) {
    const result = classify({ apiVersion, kind, metadata: { name: 'x' } });
    t.equal(result.type, 'check', `${apiVersion} ${kind}`);
    t.same(result.type === 'check' && result.target.gvk.kind, kind);
  }
});

t.test('a kind of the workloads: config key is checked only with that catalog', async (t) => {
  const widget = { apiVersion: 'example.com/v2', kind: 'Widget', metadata: { name: 'w', namespace: 'ns' } };
  const withConfig = classifyDocument({ file: 'f.yaml', line: 1, value: widget }, workloadCatalog([WIDGET]));
  t.equal(withConfig.type, 'check');
  t.same(withConfig.type === 'check' && withConfig.target.identity, { kind: 'Widget', namespace: 'ns', name: 'w' });
  t.same(withConfig.type === 'check' && withConfig.target.gvk, { group: 'example.com', version: 'v2', kind: 'Widget' });
  t.match(classify(widget), { type: 'skip', note: /Widget \(example\.com\/v2\) is not a kind pullguard checks/ });
});

t.test('checkedKinds: the built-in catalog without workloads: entries, and the entries with them', async (t) => {
  t.equal(checkedKinds({ workloads: [] }), BUILT_IN_WORKLOADS);
  const catalog = checkedKinds({ workloads: [WIDGET] });
  t.same(catalog.find('example.com', 'Widget'), WIDGET);
  t.equal(catalog.find('apps', 'Deployment')?.kind, 'Deployment', 'built-in kinds stay');
  t.equal(catalog.find('argoproj.io', 'Rollout')?.kind, 'Rollout', 'so do the custom resource rows');
  t.equal(BUILT_IN_WORKLOADS.find('example.com', 'Widget'), undefined);
});

t.test('built-in kinds without images are ignored; other kinds and non-objects are skipped with a note', async (t) => {
  const cases: Array<[unknown, string, RegExp?]> = [
    [{ apiVersion: 'v1', kind: 'ConfigMap' }, 'ignore'],
    [{ apiVersion: 'v1', kind: 'Service' }, 'ignore'],
    [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' }, 'ignore'],
    [{ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' }, 'ignore'],
    [{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' }, 'ignore'],
    [{ apiVersion: 'extensions/v1beta1', kind: 'Ingress' }, 'ignore'],
    [{ apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy' }, 'ignore'],
    [
      { apiVersion: 'example.com/v1', kind: 'Widget' },
      'skip',
      /^f\.yaml:3: Widget \(example\.com\/v1\) is not a kind pullguard checks; skipped$/,
    ],
    [
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' },
      'skip',
      /Application \(argoproj\.io\/v1alpha1\) is not a kind/,
    ],
    [
      { apiVersion: 'extensions/v1beta1', kind: 'StatefulSet' },
      'skip',
      /StatefulSet \(extensions\/v1beta1\) is not a kind/,
    ],
    [{ apiVersion: 'apps/v1', kind: 'ConfigMap' }, 'skip', /ConfigMap \(apps\/v1\) is not a kind/],
    [{ apiVersion: 'v1', kind: 'pod' }, 'skip', /pod \(v1\) is not a kind/],
    [{ kind: 'Pod' }, 'skip', /^f\.yaml:3: no apiVersion and kind/],
    [{ apiVersion: 'v1', kind: 7 }, 'skip', /no apiVersion and kind/],
    ['text', 'skip', /not a Kubernetes object \(a string\)/],
    [[1, 2], 'skip', /not a Kubernetes object \(a list\)/],
  ];
  for (const [value, type, note] of cases) {
    const result = classify(value);
    t.equal(result.type, type, JSON.stringify(value));
    if (note) t.match(result.type === 'skip' ? result.note : '', note, `${JSON.stringify(value)}: note`);
  }
});
