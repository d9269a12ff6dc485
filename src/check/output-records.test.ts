import t from 'tap';
import { ManifestError } from './manifest-error.js';
import { outputRecords, type InputItem } from './output-records.js';
import type { CheckedObject } from './run-checks.js';
import { APP, reviewed } from '../../test/check/check-outcomes.js';

const OBJECT = { kind: 'Deployment', namespace: 'shop', name: 'web' };

t.test('every input in order: errors, skips, and the records of reviewed, skipped and malformed objects', async (t) => {
  const ok = reviewed([{ use: APP, canonical: 'docker.io/library/nginx:1.99', resolution: { outcome: 'found' } }], []);
  const owned: CheckedObject = {
    ...reviewed([], [], { line: 5 }),
    outcome: { status: 'skipped', reason: 'owned by a controller' },
  };
  const malformed: CheckedObject = {
    ...reviewed([], [], { line: 9 }),
    outcome: { status: 'invalid', problem: 'spec.containers is not a list' },
  };
  const parse = new ManifestError('PG_MANIFEST_PARSE', { file: 'b.yaml', line: 3, column: 7, detail: 'not valid' });
  const missing = new ManifestError('PG_MANIFEST_NOT_FOUND', { file: 'c.yaml', detail: 'no such file or directory' });
  const items: InputItem[] = [
    { type: 'error', error: missing },
    { type: 'check', target: ok.target },
    { type: 'skip', file: 'a.yaml', line: 2, note: 'a.yaml:2: Widget is not a kind pullguard checks; skipped' },
    { type: 'check', target: owned.target },
    { type: 'error', error: parse },
    { type: 'check', target: malformed.target },
  ];
  const records = outputRecords(items, [ok, owned, malformed]);
  t.same(
    records.map((r) => r.record),
    ['error', 'use', 'skip', 'skip', 'error', 'error'],
  );
  t.same(records[0], {
    record: 'error',
    file: 'c.yaml',
    line: null,
    column: null,
    object: null,
    code: 'PG_MANIFEST_NOT_FOUND',
    message: 'c.yaml: no such file or directory',
  });
  t.same(records[3], { record: 'skip', file: 'app.yaml', line: 5, object: OBJECT, message: 'owned by a controller' });
  t.same(records[4], {
    record: 'error',
    file: 'b.yaml',
    line: 3,
    column: 7,
    object: null,
    code: 'PG_MANIFEST_PARSE',
    message: 'b.yaml:3:7: not valid',
  });
  t.same(records[5], {
    record: 'error',
    file: 'app.yaml',
    line: 9,
    column: null,
    object: OBJECT,
    code: null,
    message: 'spec.containers is not a list',
  });
});

t.test('nothing read, nothing to say: an empty list', async (t) => {
  t.same(outputRecords([], []), []);
});
