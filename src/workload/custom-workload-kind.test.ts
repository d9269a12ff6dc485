import t from 'tap';
import { formatFieldPath } from '../runtime/field-path.js';
import { customWorkload, readsVersion, type PathPattern } from './custom-workload-kind.js';

const texts = (paths: readonly PathPattern[]) => paths.map((path) => formatFieldPath(path));

t.test('a row: its paths parsed in the field-path syntax, frozen', async (t) => {
  const row = customWorkload({
    group: 'example.com',
    version: 'v1',
    kind: 'Thing',
    resource: 'things',
    podSpecs: ['spec.template.spec', 'spec.replicaSpecs.*.template.spec'],
    containers: ['spec.steps[*]'],
    initContainers: ['spec.setup'],
    podFields: 'spec.pod',
  });
  t.same([row.group, row.version, row.kind, row.resource], ['example.com', 'v1', 'Thing', 'things']);
  t.same(texts(row.podSpecs), ['spec.template.spec', 'spec.replicaSpecs.*.template.spec']);
  t.same(texts(row.containers), ['spec.steps[*]']);
  t.same(texts(row.initContainers), ['spec.setup']);
  t.equal(row.podFields && formatFieldPath(row.podFields), 'spec.pod');
  t.same(row.podSpecs[1]?.[2], { kind: 'eachValue' });
  t.ok(Object.isFrozen(row) && Object.isFrozen(row.podSpecs) && Object.isFrozen(row.containers));
  t.ok(row.podSpecs.every((path) => Object.isFrozen(path)));
});

t.test('versions: kept frozen when given; readsVersion says which versions a row reads', async (t) => {
  const row = customWorkload({ group: 'g', version: 'v1', kind: 'K', resource: 'ks', versions: ['v1', 'v1beta1'] });
  t.same(row.versions, ['v1', 'v1beta1']);
  t.ok(Object.isFrozen(row.versions));
  t.ok(readsVersion(row, 'v1beta1'));
  t.notOk(readsVersion(row, 'v1alpha1'));
  t.ok(readsVersion(row, undefined), 'a lookup by kind alone');
  t.ok(readsVersion(customWorkload({ group: 'g', version: 'v1', kind: 'K', resource: 'ks' }), 'v9'), 'no list');
});

t.test('a row without lists or pod fields', async (t) => {
  const row = customWorkload({ group: 'g', version: 'v1', kind: 'K', resource: 'ks' });
  t.same(row, {
    group: 'g',
    version: 'v1',
    kind: 'K',
    resource: 'ks',
    podSpecs: [],
    containers: [],
    initContainers: [],
  });
  t.notOk('podFields' in row);
});

t.test('a malformed path in a built-in row throws, naming the path', async (t) => {
  for (const text of ['', 'spec.', '.spec', 'spec..a', 'spec[0]', '*.spec', 'a b']) {
    t.throws(
      () => customWorkload({ group: 'g', version: 'v1', kind: 'K', resource: 'ks', containers: [text] }),
      { message: `custom workload path ${JSON.stringify(text)}` },
      JSON.stringify(text),
    );
  }
});
