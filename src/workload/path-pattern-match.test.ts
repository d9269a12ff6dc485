import t from 'tap';
import { parseFieldPath } from '../runtime/field-path.js';
import { matchPathPattern } from './path-pattern-match.js';

function match(root: unknown, text: string) {
  const parsed = parseFieldPath(text);
  if (!parsed.ok) throw new Error(`test path ${text} ${parsed.problem}`);
  return matchPathPattern(root, parsed.segments);
}

t.test('fields and list items, with kubectl-style paths, in document order', async (t) => {
  const root = { spec: { templates: [{ container: { image: 'a' } }, { script: {} }, { container: { image: 'b' } }] } };
  t.same(match(root, 'spec.templates[*].container'), {
    ok: true,
    matches: [
      { path: 'spec.templates[0].container', value: { image: 'a' } },
      { path: 'spec.templates[2].container', value: { image: 'b' } },
    ],
  });
  t.same(match(root, 'spec'), { ok: true, matches: [{ path: 'spec', value: root.spec }] });
});

t.test('nested lists', async (t) => {
  const root = { spec: { tasks: [{ steps: [{ image: 'x' }, { image: 'y' }] }, { steps: [{ image: 'z' }] }] } };
  const result = match(root, 'spec.tasks[*].steps[*]');
  t.same(result.ok && result.matches.map((m) => m.path), [
    'spec.tasks[0].steps[0]',
    'spec.tasks[0].steps[1]',
    'spec.tasks[1].steps[0]',
  ]);
});

t.test('absent or null fields, lists and items match nothing', async (t) => {
  t.same(match({}, 'spec.templates[*].container'), { ok: true, matches: [] });
  t.same(match({ spec: null }, 'spec.templates[*]'), { ok: true, matches: [] });
  t.same(match({ spec: { templates: null } }, 'spec.templates[*]'), { ok: true, matches: [] });
  t.same(match({ spec: { templates: [null, { a: 1 }] } }, 'spec.templates[*]'), {
    ok: true,
    matches: [{ path: 'spec.templates[1]', value: { a: 1 } }],
  });
});

t.test('a value of the wrong shape on the way is a problem named by its path', async (t) => {
  t.same(match({ spec: 'x' }, 'spec.template'), { ok: false, problem: 'spec must be an object' });
  t.same(match({ spec: { templates: {} } }, 'spec.templates[*]'), {
    ok: false,
    problem: 'spec.templates must be a list',
  });
  t.same(match({ spec: { templates: [1] } }, 'spec.templates[*].container'), {
    ok: false,
    problem: 'spec.templates[0] must be an object',
  });
  t.same(match({ spec: [] }, 'spec.template'), { ok: false, problem: 'spec must be an object' });
});

t.test('inherited properties are not fields', async (t) => {
  t.same(match({ spec: {} }, 'spec.constructor'), { ok: true, matches: [] });
  t.same(match({ spec: {} }, 'spec.__proto__'), { ok: true, matches: [] });
});

t.test('map values, with their keys in the path, in document order', async (t) => {
  const root = {
    spec: {
      pytorchReplicaSpecs: { Master: { template: { spec: 1 } }, Worker: { template: { spec: 2 } }, Empty: null },
    },
  };
  t.same(match(root, 'spec.pytorchReplicaSpecs.*.template.spec'), {
    ok: true,
    matches: [
      { path: 'spec.pytorchReplicaSpecs.Master.template.spec', value: 1 },
      { path: 'spec.pytorchReplicaSpecs.Worker.template.spec', value: 2 },
    ],
  });
  t.same(match({ spec: { pytorchReplicaSpecs: [] } }, 'spec.pytorchReplicaSpecs.*'), {
    ok: false,
    problem: 'spec.pytorchReplicaSpecs must be a map',
  });
  t.same(match({ spec: {} }, 'spec.pytorchReplicaSpecs.*.template'), { ok: true, matches: [] });
});
