import t from 'tap';
import { parseFieldPath } from '../runtime/field-path.js';
import type { CustomWorkloadPaths } from './custom-workload-kind.js';
import { BUILT_IN_WORKLOADS, workloadCatalog } from './workload-catalog.js';

function path(text: string) {
  const parsed = parseFieldPath(text);
  if (!parsed.ok) throw new Error(`test path ${text} ${parsed.problem}`);
  return parsed.segments;
}

const configured = (
  group: string,
  kind: string,
  podSpecs: string[],
  containers: string[] = [],
): CustomWorkloadPaths => ({
  group,
  kind,
  podSpecs: podSpecs.map(path),
  containers: containers.map(path),
  initContainers: [],
});

const paths = (result: ReturnType<typeof BUILT_IN_WORKLOADS.extract>) =>
  result?.ok ? result.views.map((v) => [v.podSpecPath, v.isTemplate, v.uses.map((u) => u.path)]) : result;

t.test('built-in kinds first, then custom ones, else undefined', async (t) => {
  t.equal(BUILT_IN_WORKLOADS.find('apps', 'Deployment')?.kind, 'Deployment');
  t.equal(BUILT_IN_WORKLOADS.find('core', 'Pod')?.kind, 'Pod');
  t.equal(BUILT_IN_WORKLOADS.find('argoproj.io', 'Rollout')?.kind, 'Rollout');
  t.equal(BUILT_IN_WORKLOADS.find('', 'Service'), undefined);
  t.equal(BUILT_IN_WORKLOADS.extract('', 'ConfigMap', {}), undefined);
});

t.test('a row that lists its versions is found only in those, or by kind alone', async (t) => {
  t.same(BUILT_IN_WORKLOADS.find('serving.knative.dev', 'Service', 'v1')?.versions, ['v1', 'v1beta1']);
  t.equal(BUILT_IN_WORKLOADS.find('serving.knative.dev', 'Service', 'v1alpha1'), undefined);
  t.equal(BUILT_IN_WORKLOADS.find('serving.knative.dev', 'Service')?.kind, 'Service');
  t.equal(BUILT_IN_WORKLOADS.find('argoproj.io', 'Workflow', 'v1')?.kind, 'Workflow', 'no list: any version');
  t.equal(BUILT_IN_WORKLOADS.find('apps', 'Deployment', 'v1beta2')?.kind, 'Deployment');
});

t.test('a built-in kind: its one view', async (t) => {
  const result = BUILT_IN_WORKLOADS.extract('', 'Pod', { spec: { containers: [{ name: 'a', image: 'a:1' }] } });
  t.same(paths(result), [['spec', false, ['spec.containers[0].image']]]);
  t.same(BUILT_IN_WORKLOADS.extract('', 'Pod', 'x'), { ok: false, problem: 'Pod must be an object' });
});

t.test('a custom kind: its views', async (t) => {
  const workflow = { spec: { templates: [{ container: { image: 'busybox' } }, { script: { image: 'python:3' } }] } };
  t.same(paths(BUILT_IN_WORKLOADS.extract('argoproj.io', 'Workflow', workflow)), [
    ['spec', true, ['spec.templates[0].container.image', 'spec.templates[1].script.image']],
  ]);
  t.same(BUILT_IN_WORKLOADS.extract('argoproj.io', 'Workflow', { spec: { templates: 'x' } }), {
    ok: false,
    problem: 'spec.templates must be a list',
  });
});

t.test('configured kinds: added, and preferred over a built-in custom row, never over a built-in kind', async (t) => {
  const catalog = workloadCatalog([
    configured('example.com', 'Batch', ['spec.workers.*.template.spec']),
    configured('argoproj.io', 'Rollout', ['spec.custom.spec']),
    configured('core', 'Pod', ['spec.other']),
    configured('example.com', 'Batch', ['spec.ignored']),
  ]);
  const batch = { spec: { workers: { gpu: { template: { spec: { containers: [{ name: 'w', image: 'w:1' }] } } } } } };
  t.same(paths(catalog.extract('example.com', 'Batch', batch)), [
    ['spec.workers.gpu.template.spec', true, ['spec.workers.gpu.template.spec.containers[0].image']],
  ]);
  const rollout = { spec: { custom: { spec: { containers: [{ name: 'r', image: 'r:1' }] } }, template: {} } };
  t.same(paths(catalog.extract('argoproj.io', 'Rollout', rollout)), [
    ['spec.custom.spec', true, ['spec.custom.spec.containers[0].image']],
  ]);
  const pod = { spec: { containers: [{ name: 'a', image: 'a:1' }] } };
  t.same(paths(catalog.extract('', 'Pod', pod)), [['spec', false, ['spec.containers[0].image']]]);
  t.equal(catalog.find('example.com', 'Batch')?.kind, 'Batch');
  t.equal(BUILT_IN_WORKLOADS.find('example.com', 'Batch'), undefined, 'the shared catalog has no config');
});
