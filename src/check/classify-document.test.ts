import t from 'tap';
import { classifyDocument } from './classify-document.js';

const classify = (value: unknown) => classifyDocument({ file: 'f.yaml', line: 3, value });

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
});

t.test('built-in kinds without images are ignored; other kinds and non-objects are skipped with a note', async (t) => {
  const cases: Array<[unknown, string, RegExp?]> = [
    [{ apiVersion: 'v1', kind: 'ConfigMap' }, 'ignore'],
    [{ apiVersion: 'v1', kind: 'Service' }, 'ignore'],
    [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' }, 'ignore'],
    [{ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' }, 'ignore'],
    [{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' }, 'ignore'],
    [
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' },
      'skip',
      /^f\.yaml:3: Rollout \(argoproj\.io\/v1alpha1\) is not a kind pullguard checks; skipped$/,
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
