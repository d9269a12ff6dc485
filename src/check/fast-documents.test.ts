import t from 'tap';
import { fastDocuments } from './fast-documents.js';

const results = (text: string) => [...fastDocuments(text)];
const precise = (fromLine: number) => ({ kind: 'precise', fromLine });
const document = (line: number, value: unknown) => ({ kind: 'document', line, value });

t.test('plain documents are read, each on its first content line', async (t) => {
  t.same(results('# c\nkind: A\n---\n\nkind: B\n--- {kind: C}\n---\n~\n'), [
    document(2, { kind: 'A' }),
    document(5, { kind: 'B' }),
    document(6, { kind: 'C' }),
  ]);
});

t.test('the core schema with merge keys: dates stay strings, 1.1 booleans are strings', async (t) => {
  t.same(results('a: 2024-01-01\nb: yes\nc: 0o17\nd: .inf\nbase: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n'), [
    document(1, { a: '2024-01-01', b: 'yes', c: 15, d: Infinity, base: { x: 1 }, m: { x: 1, y: 2 } }),
  ]);
});

t.test('whole-file reasons for the precise reader', async (t) => {
  const cases: Array<[string, string]> = [
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a template action', 'a: 1\n---\nimage: "{{ .Values.image }}"\n'],
    ['a byte-order mark inside', 'a: 1\n---\n\uFEFFb: 2\n'],
    ['a lone carriage return', 'a: 1\rb: 2\n'],
  ];
  for (const [name, text] of cases) t.same(results(text), [precise(1)], name);
});

t.test(
  'from the first document the fast reader cannot vouch for (its --- line), the precise reader takes over',
  async (t) => {
    const cases: Array<[string, string, number]> = [
      ['a syntax error', 'a: [\n', 2],
      ['a duplicate key', 'a: 1\na: 2\n', 2],
      ['a null key', '~: 1\n', 2],
      ['an unknown tag', 'a: !foo x\n', 2],
      ['an alias of a collection', 'a: &x [1]\nb: *x\n', 2],
      ['a List', 'kind: List\nitems: []\n', 2],
      ['a DeploymentList', 'kind: DeploymentList\nitems: [{}]\n', 2],
      ['an anchor before the content', '&a\nb: 1\n', 2],
      ['a tag before the content', '--- !!map\nb: 1\n', 3],
      ['content after ...', 'a: 1\n... x\n', 2],
    ];
    for (const [name, text, line] of cases)
      t.same(results(`kind: A\n---\n${text}---\nkind: B\n`), [document(1, { kind: 'A' }), precise(line)], name);
  },
);

t.test('aliases of scalars are read; a very large document is left to the precise reader', async (t) => {
  t.same(results('a: &x 1\nb: *x\n'), [document(1, { a: 1, b: 1 })]);
  t.same(results(`a: "${'x'.repeat(2_000_001)}"\n`), [precise(1)]);
});
