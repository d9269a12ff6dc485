import t from 'tap';
import { buildConfig, DEFAULT_CONFIG } from './load-config.js';

const problems = (raw: unknown): string[] => {
  const result = buildConfig(raw);
  return result.ok ? [] : result.problems;
};

t.test('no workloads key: no extra kinds', async (t) => {
  t.same(DEFAULT_CONFIG.workloads, []);
});

t.test('entries are parsed, in file order, with the core group normalised', async (t) => {
  const result = buildConfig({
    workloads: [
      { group: 'example.com', kind: 'Widget', podSpecs: ['spec.parts[*].template.spec', 'spec.roles.*.spec'] },
      { group: 'core', kind: 'Thing', containers: ['spec.steps[*]'], initContainers: ['spec.init'], podFields: 'spec' },
    ],
  });
  if (!result.ok) throw new Error(result.problems.join('\n'));
  const [widget, thing] = result.config.workloads;
  t.equal(result.config.workloads.length, 2);
  t.same(widget, {
    group: 'example.com',
    kind: 'Widget',
    podSpecs: [
      [
        { kind: 'field', name: 'spec' },
        { kind: 'field', name: 'parts' },
        { kind: 'eachElement' },
        { kind: 'field', name: 'template' },
        { kind: 'field', name: 'spec' },
      ],
      [
        { kind: 'field', name: 'spec' },
        { kind: 'field', name: 'roles' },
        { kind: 'eachValue' },
        { kind: 'field', name: 'spec' },
      ],
    ],
    containers: [],
    initContainers: [],
  });
  t.same(thing, {
    group: '',
    kind: 'Thing',
    podSpecs: [],
    containers: [[{ kind: 'field', name: 'spec' }, { kind: 'field', name: 'steps' }, { kind: 'eachElement' }]],
    initContainers: [
      [
        { kind: 'field', name: 'spec' },
        { kind: 'field', name: 'init' },
      ],
    ],
    podFields: [{ kind: 'field', name: 'spec' }],
  });
  t.ok(Object.isFrozen(result.config.workloads) && Object.isFrozen(widget) && Object.isFrozen(widget?.podSpecs));
});

t.test('every problem of the workloads key is reported at once', async (t) => {
  t.same(
    problems({
      workloads: [
        { group: 'a.io', kind: 'A', podSpecs: ['spec..template'], containers: ['spec.steps[0]'], podFields: 'x.' },
        { group: 'b.io', kind: 'B' },
        { group: 'b.io', kind: 'B', podSpecs: [], containers: [] },
        { group: '', kind: 'C', initContainers: ['spec.init[*]'] },
        { group: 'core', kind: 'C', podSpecs: ['*.spec'] },
      ],
    }),
    [
      'config: /workloads/0/podSpecs/0 path "spec..template" has an empty field name',
      'config: /workloads/0/containers/0 path "spec.steps[0]" has "steps[0]": a field name, name[*] or * is expected',
      'config: /workloads/0/podFields path "x." has an empty field name',
      'config: /workloads/1 lists no path: give podSpecs, containers or initContainers',
      'config: /workloads/2 lists no path: give podSpecs, containers or initContainers',
      'config: /workloads/2 repeats group "b.io" kind B of /workloads/1',
      'config: /workloads/4/podSpecs/0 path "*.spec" must start with a field name',
      'config: /workloads/4 repeats group "core" kind C of /workloads/3',
    ],
  );
});

t.test(
  'the schema rejects unknown keys and wrong types, with the semantic problems of the other entries',
  async (t) => {
    t.same(problems({ workloads: [{ group: 'a.io', kind: 'A', podSpec: ['spec'] }] }), [
      'config: /workloads/0 has unknown key "podSpec"',
      'config: /workloads/0 lists no path: give podSpecs, containers or initContainers',
    ]);
    const wrong = problems({
      workloads: [{ kind: '', podSpecs: 'spec' }, 'Widget', { group: 'x', kind: 'X', podSpecs: ['a b'] }],
    });
    t.ok(
      wrong.some((p) => p.startsWith('config: /workloads/0 ')),
      'missing group',
    );
    t.ok(
      wrong.some((p) => p.startsWith('config: /workloads/0/kind ')),
      'empty kind',
    );
    t.ok(
      wrong.some((p) => p.startsWith('config: /workloads/0/podSpecs ')),
      'not a list',
    );
    t.ok(
      wrong.some((p) => p.startsWith('config: /workloads/1 ')),
      'not an object',
    );
    t.ok(
      wrong.includes('config: /workloads/2/podSpecs/0 path "a b" has "a b": a field name, name[*] or * is expected'),
    );
    t.match(problems({ workloads: { group: 'a', kind: 'A' } }), [/^config: \/workloads /], 'not a list');
  },
);
