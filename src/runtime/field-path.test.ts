import t from 'tap';
import { formatFieldPath, parseFieldPath } from './field-path.js';

t.test('field names, list elements and map values', async (t) => {
  t.same(parseFieldPath('spec.template.spec'), {
    ok: true,
    segments: [
      { kind: 'field', name: 'spec' },
      { kind: 'field', name: 'template' },
      { kind: 'field', name: 'spec' },
    ],
  });
  t.same(parseFieldPath('spec.replicatedJobs[*].template'), {
    ok: true,
    segments: [
      { kind: 'field', name: 'spec' },
      { kind: 'field', name: 'replicatedJobs' },
      { kind: 'eachElement' },
      { kind: 'field', name: 'template' },
    ],
  });
  t.same(parseFieldPath('spec.tfReplicaSpecs.*.template'), {
    ok: true,
    segments: [
      { kind: 'field', name: 'spec' },
      { kind: 'field', name: 'tfReplicaSpecs' },
      { kind: 'eachValue' },
      { kind: 'field', name: 'template' },
    ],
  });
  t.same(parseFieldPath('matrix[*][*]'), {
    ok: true,
    segments: [{ kind: 'field', name: 'matrix' }, { kind: 'eachElement' }, { kind: 'eachElement' }],
  });
  t.same(parseFieldPath('x_y-z'), { ok: true, segments: [{ kind: 'field', name: 'x_y-z' }] });
});

t.test('malformed paths are problems, each named', async (t) => {
  t.same(parseFieldPath(''), { ok: false, problem: 'is empty' });
  t.same(parseFieldPath('spec..x'), { ok: false, problem: 'has an empty field name' });
  t.same(parseFieldPath('spec.'), { ok: false, problem: 'has an empty field name' });
  t.same(parseFieldPath('[*].spec'), { ok: false, problem: 'has an empty field name' });
  t.same(parseFieldPath('*.spec'), { ok: false, problem: 'must start with a field name' });
  t.same(parseFieldPath('spec.steps[0]'), {
    ok: false,
    problem: 'has "steps[0]": a field name, name[*] or * is expected',
  });
  t.same(parseFieldPath('spec/template'), {
    ok: false,
    problem: 'has "spec/template": a field name, name[*] or * is expected',
  });
  t.same(parseFieldPath('spec.1x'), { ok: false, problem: 'has "1x": a field name, name[*] or * is expected' });
  t.same(parseFieldPath('spec.-x'), { ok: false, problem: 'has "-x": a field name, name[*] or * is expected' });
});

t.test('formatFieldPath is the inverse of parseFieldPath', async (t) => {
  for (const text of ['spec', 'spec.template.spec', 'spec.a[*].b', 'spec.m.*.template.spec', 'a[*][*].b', 'a.*.*']) {
    const parsed = parseFieldPath(text);
    t.ok(parsed.ok, text);
    if (parsed.ok) t.equal(formatFieldPath(parsed.segments), text);
  }
});

t.test('segments are frozen', async (t) => {
  const parsed = parseFieldPath('a[*].*');
  t.ok(parsed.ok && Object.isFrozen(parsed.segments) && parsed.segments.every((s) => Object.isFrozen(s)));
});
