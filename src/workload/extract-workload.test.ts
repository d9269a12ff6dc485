import t from 'tap';
import { extractWorkloadViews, findAnyWorkloadKind } from './extract-workload.js';

t.test('built-in kinds first, then custom ones, else undefined', async (t) => {
  t.equal(findAnyWorkloadKind('apps', 'Deployment')?.resource, 'deployments');
  t.equal(findAnyWorkloadKind('core', 'Pod')?.resource, 'pods');
  t.equal(findAnyWorkloadKind('argoproj.io', 'Rollout')?.resource, 'rollouts');
  t.equal(findAnyWorkloadKind('', 'Service'), undefined);
  t.equal(extractWorkloadViews('', 'ConfigMap', {}), undefined);
});

t.test('a built-in kind: its one view', async (t) => {
  const result = extractWorkloadViews('', 'Pod', { spec: { containers: [{ name: 'a', image: 'a:1' }] } });
  t.same(result?.ok && result.views.map((v) => [v.podSpecPath, v.isTemplate, v.uses.map((u) => u.path)]), [
    ['spec', false, ['spec.containers[0].image']],
  ]);
  t.same(extractWorkloadViews('', 'Pod', 'x'), { ok: false, problem: 'Pod must be an object' });
});

t.test('a custom kind: its views', async (t) => {
  const workflow = { spec: { templates: [{ container: { image: 'busybox' } }, { script: { image: 'python:3' } }] } };
  const result = extractWorkloadViews('argoproj.io', 'Workflow', workflow);
  t.same(result?.ok && result.views.map((v) => [v.podSpecPath, v.isTemplate, v.uses.map((u) => u.path)]), [
    ['spec', true, ['spec.templates[0].container.image', 'spec.templates[1].script.image']],
  ]);
  t.same(extractWorkloadViews('argoproj.io', 'Workflow', { spec: { templates: 'x' } }), {
    ok: false,
    problem: 'spec.templates must be a list',
  });
});
