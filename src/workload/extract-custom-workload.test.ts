import t from 'tap';
import { customWorkload } from './custom-workload-kind.js';
import { extractCustomWorkload } from './extract-custom-workload.js';

const ROW = customWorkload({
  group: 'example.com',
  version: 'v1',
  kind: 'Job',
  resource: 'jobs',
  podSpecs: ['spec.groups[*].template.spec'],
  initContainers: ['spec.setup'],
  containers: ['spec.steps[*]'],
  podFields: 'spec.pod',
});

t.test('pod specs in document order, then one view of the bare containers with the pod fields', async (t) => {
  const object = {
    spec: {
      groups: [{ template: { spec: { containers: [{ name: 'a', image: 'a:1' }] } } }, { template: null }],
      setup: { name: 'init', image: 'init:1', imagePullPolicy: 'Always' },
      steps: [{ name: 's', image: 's:1' }, { name: 'no-image' }, { image: '' }, { image: null, name: null }],
      pod: { imagePullSecrets: [{ name: 'pull' }], serviceAccountName: 'runner', containers: [{ image: 'ignored' }] },
    },
  };
  const result = extractCustomWorkload(ROW, object);
  if (!result.ok) return t.fail(result.problem);
  t.same(
    result.views.map((v) => [v.podSpecPath, v.isTemplate, v.workload.kind, v.imagePullSecrets, v.serviceAccountName]),
    [
      ['spec.groups[0].template.spec', true, 'Job', [], 'default'],
      ['spec.pod', true, 'Job', ['pull'], 'runner'],
    ],
  );
  t.same(result.views[0]?.uses, [
    { image: 'a:1', name: 'a', section: 'containers', path: 'spec.groups[0].template.spec.containers[0].image' },
  ]);
  t.same(result.views[1]?.uses, [
    { image: 'init:1', name: 'init', section: 'initContainers', path: 'spec.setup.image', pullPolicy: 'Always' },
    { image: 's:1', name: 's', section: 'containers', path: 'spec.steps[0].image' },
  ]);
  t.ok(result.views.every((v) => Object.isFrozen(v) && v.uses.every((u) => Object.isFrozen(u))));
});

t.test('no bare container with an image: no view for them', async (t) => {
  const result = extractCustomWorkload(ROW, { spec: { steps: [{ name: 'x' }], pod: { imagePullSecrets: 'bad' } } });
  t.same(result, { ok: true, views: [] });
});

t.test('absent pod fields: an empty pod at their pattern; a row without them: at spec', async (t) => {
  const result = extractCustomWorkload(ROW, { spec: { steps: [{ image: 's:1' }] } });
  t.same(result.ok && result.views.map((v) => [v.podSpecPath, v.imagePullSecrets, v.uses.length]), [
    ['spec.pod', [], 1],
  ]);
  const bare = customWorkload({ group: 'g', version: 'v1', kind: 'T', resource: 'ts', containers: ['spec.steps[*]'] });
  const other = extractCustomWorkload(bare, { spec: { steps: [{ image: 's:1' }] } });
  t.same(other.ok && other.views.map((v) => [v.podSpecPath, v.noPodFields]), [['spec', true]]);
  t.same(
    result.ok && result.views.map((v) => v.noPodFields),
    [undefined],
    'a row with pod fields has a place for them',
  );
});

t.test('problems are named by field path', async (t) => {
  const cases: ReadonlyArray<readonly [unknown, string]> = [
    ['text', 'Job must be an object'],
    [[], 'Job must be an object'],
    [{ spec: { groups: {} } }, 'spec.groups must be a list'],
    [{ spec: { groups: [{ template: { spec: { containers: 'x' } } }] } }, 'spec.groups[0].template.spec.containers'],
    [{ spec: { steps: ['x'] } }, 'spec.steps[0] must be an object'],
    [{ spec: { steps: [{ image: 7 }] } }, 'spec.steps[0].image must be a string'],
    [{ spec: { steps: [{ image: 'a', name: 1 }] } }, 'spec.steps[0].name must be a string'],
    [{ spec: { setup: { image: 'a', imagePullPolicy: [] } } }, 'spec.setup.imagePullPolicy must be a string'],
    [{ spec: { steps: [{ image: 'a' }], pod: 'x' } }, 'spec.pod must be an object'],
    [{ spec: { steps: [{ image: 'a' }], pod: { imagePullSecrets: 'x' } } }, 'spec.pod.imagePullSecrets'],
  ];
  for (const [object, problem] of cases) {
    const result = extractCustomWorkload(ROW, object);
    t.equal(result.ok, false, problem);
    if (!result.ok) t.ok(result.problem.startsWith(problem), `${result.problem} starts with ${problem}`);
  }
});
