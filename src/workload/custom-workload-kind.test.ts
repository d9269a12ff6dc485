import t from 'tap';
import { customWorkload, formatPathPattern, isPathPattern, parsePathPattern } from './custom-workload-kind.js';

t.test('path patterns: text, segments and back', async (t) => {
  t.same(parsePathPattern('spec.templates[*].container'), ['spec', 'templates', '*', 'container']);
  t.same(parsePathPattern('spec'), ['spec']);
  t.same(parsePathPattern('spec.steps[*]'), ['spec', 'steps', '*']);
  for (const text of ['spec', 'spec.templates[*].container', 'spec.a[*].b[*]', 'spec.replicated-jobs[*].x_y']) {
    t.ok(isPathPattern(text), text);
    t.equal(formatPathPattern(parsePathPattern(text)), text);
  }
});

t.test('malformed patterns are refused', async (t) => {
  for (const text of ['', 'spec.', '.spec', 'spec..a', 'spec[0]', 'spec[*]x', 'spec.*', 'spec[*][*]', 'a b']) {
    t.notOk(isPathPattern(text), JSON.stringify(text));
  }
});

t.test('a row: sections from the list a pattern is in, init containers first, frozen', async (t) => {
  const row = customWorkload({
    group: 'example.com',
    version: 'v1',
    kind: 'Thing',
    resource: 'things',
    podSpecs: ['spec.template.spec'],
    containers: ['spec.steps[*]'],
    initContainers: ['spec.setup'],
    podFields: 'spec.pod',
  });
  t.same(row, {
    group: 'example.com',
    version: 'v1',
    kind: 'Thing',
    resource: 'things',
    podSpecs: [['spec', 'template', 'spec']],
    containers: [
      { pattern: ['spec', 'setup'], section: 'initContainers' },
      { pattern: ['spec', 'steps', '*'], section: 'containers' },
    ],
    podFields: ['spec', 'pod'],
  });
  t.ok(Object.isFrozen(row) && Object.isFrozen(row.podSpecs) && Object.isFrozen(row.containers));
  t.ok(row.containers.every((site) => Object.isFrozen(site) && Object.isFrozen(site.pattern)));
});

t.test('a row without lists or pod fields', async (t) => {
  const row = customWorkload({ group: 'g', version: 'v1', kind: 'K', resource: 'ks' });
  t.same(row, { group: 'g', version: 'v1', kind: 'K', resource: 'ks', podSpecs: [], containers: [] });
  t.notOk('podFields' in row);
});
