/**
 * `check --offline` reports canonical references exactly as distribution/reference v0.6.0 normalizes them
 * (docs/design.md §1.2), plus the implicit `:latest`; inputs the parser refuses are `invalid`, denied, and make the
 * exit code 1. One Pod per vector, all in one run.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { checkCli } from '../../src/cli/check-cli.js';
import { fakeIo } from './fake-io.js';
import { parseRecords } from './record-schema.js';

interface Vector {
  readonly line: number;
  readonly input: string;
  /** Expected canonical reference; undefined when the input is invalid for pullguard. */
  readonly canonical?: string;
}

/** `"<input>"\t(ERROR: … | string=…\tdomain=…\tpath=…\ttag=…\tdigest=…\tfamiliar=…)` */
function readVectors(): Vector[] {
  const url = new URL('../fixtures/testvectors/reference-distribution-v0.6.0.tsv', import.meta.url);
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((text, index) => {
      const [quoted = '', ...rest] = text.split('\t');
      const input: unknown = JSON.parse(quoted);
      if (typeof input !== 'string') throw new Error(`line ${index + 1}: the input is not a string`);
      if (rest[0]?.startsWith('ERROR: ')) return { line: index + 1, input };
      const fields = new Map(rest.map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)] as const));
      // Go accepts a reference with no domain at all (`ex_ample.com/app`); pullguard refuses it: no registry to ask.
      if (fields.get('domain') === '') return { line: index + 1, input };
      const implicitLatest = fields.get('tag') === '' && fields.get('digest') === '';
      return { line: index + 1, input, canonical: `${fields.get('string')}${implicitLatest ? ':latest' : ''}` };
    });
}

const vectors = readVectors();

t.test('the vectors cover valid and invalid inputs', async (t) => {
  t.equal(vectors.length, 69);
  t.ok(vectors.filter((v) => v.canonical === undefined).length >= 20);
  t.ok(vectors.filter((v) => v.canonical !== undefined).length >= 30);
});

t.test('every vector as a Pod: canonical reference, or invalid and denied', async (t) => {
  // JSON.stringify gives a valid YAML double-quoted scalar, so odd inputs (spaces, colons) arrive as written.
  const manifest = vectors
    .map(
      (v) =>
        `apiVersion: v1\nkind: Pod\nmetadata:\n  name: vector-${v.line}\nspec:\n  containers:\n    - name: c\n      image: ${JSON.stringify(v.input)}\n`,
    )
    .join('---\n');
  const io = fakeIo({ stdin: manifest });
  const code = await checkCli(['-f', '-', '--offline', '-o', 'json'], io);
  t.equal(code, 1, 'invalid references deny, so the exit code is 1');
  t.equal(io.err(), '');
  const records = parseRecords(t, io.out());
  t.equal(records.length, vectors.length, 'one record per Pod');
  for (const [i, v] of vectors.entries()) {
    const record = records[i];
    const label = `line ${v.line}: ${JSON.stringify(v.input).slice(0, 70)}`;
    t.equal(record?.object.name, `vector-${v.line}`, `${label}: in input order`);
    t.equal(record?.image, v.input, `${label}: image as written`);
    if (v.canonical === undefined) {
      t.same(
        [record?.reference, record?.outcome, record?.class, record?.verdict],
        [null, 'invalid', 'invalidReference', 'deny'],
        `${label}: invalid`,
      );
    } else {
      t.equal(record?.reference, v.canonical, `${label}: canonical`);
      t.equal(record?.outcome, 'not-checked', `${label}: offline`);
      t.not(record?.verdict, 'deny', `${label}: not denied`);
    }
  }
});

t.test('only valid references: exit 0', async (t) => {
  const valid = vectors.filter((v) => v.canonical !== undefined && !v.canonical.endsWith(':latest'));
  const manifest = valid
    .map(
      (v, i) =>
        `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec:\n  containers: [{name: c, image: ${JSON.stringify(v.input)}}]\n`,
    )
    .join('---\n');
  const io = fakeIo({ stdin: manifest });
  t.equal(await checkCli(['-f', '-', '--offline'], io), 0);
  t.match(io.out(), new RegExp(`\\n${valid.length} objects, ${valid.length} images: 0 denied, `));
});
