import t from 'tap';
import { ManifestError } from './manifest-error.js';
import { parseManifestText } from './parse-manifests.js';

const summary = async (text: string) =>
  (await parseManifestText(text, 'f.yaml')).map((d) =>
    d instanceof ManifestError ? [d.line, d.message] : [d.line, d.value],
  );

t.test('documents, with the line each starts on', async (t) => {
  const cases: Array<[string, string, unknown[]]> = [
    ['one document', 'kind: Pod\n', [[1, { kind: 'Pod' }]]],
    [
      'several, with a leading ---',
      '---\nkind: A\n---\n# c\nkind: B\n',
      [
        [2, { kind: 'A' }],
        [5, { kind: 'B' }],
      ],
    ],
    ['empty documents are dropped (helm)', '---\n---\n# only a comment\n---\nkind: A\n', [[5, { kind: 'A' }]]],
    ['null documents are dropped', 'null\n---\n~\n', []],
    ['an empty input', '', []],
    ['JSON', '{\n  "kind": "Pod"\n}\n', [[1, { kind: 'Pod' }]]],
    ['a scalar is kept (the classifier notes it)', 'hello\n', [[1, 'hello']]],
  ];
  for (const [name, text, expected] of cases) t.same(await summary(text), expected, name);
});

t.test('List and *List kinds are unpacked into their items, each with its own line', async (t) => {
  const list =
    'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: a}\n  - apiVersion: apps/v1\n    kind: Deployment\n';
  t.same(await summary(list), [
    [4, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }],
    [7, { apiVersion: 'apps/v1', kind: 'Deployment' }],
  ]);
  const typed =
    '{"apiVersion": "apps/v1", "kind": "DeploymentList",\n "items": [\n  {"metadata": {"name": "x"}},\n  {"kind": "Deployment", "apiVersion": "apps/v1beta2"}]}';
  t.same(
    await summary(typed),
    [
      [3, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } }],
      [4, { kind: 'Deployment', apiVersion: 'apps/v1beta2' }],
    ],
    'items of a typed list take its apiVersion and kind unless they have their own',
  );
  t.same(
    await summary('kind: List\nitems:\n  - kind: List\n    items:\n      - kind: Pod\n'),
    [[5, { kind: 'Pod' }]],
    'nested lists',
  );
  t.same(await summary('kind: List\nitems: []\n'), [], 'an empty list');
  t.same(await summary('apiVersion: v1\nkind: PodList\nitems: []\n'), [], 'an empty typed list');
  t.same(
    await summary('apiVersion: v1\nkind: List\nitems:\n'),
    [],
    'items: null, as a template that renders none leaves it',
  );
  t.same(await summary('kind: List\n'), [[1, { kind: 'List' }]], 'a List with no items is left to the classifier');
});

t.test('a broken document is a PG_MANIFEST_PARSE entry with file, line and column', async (t) => {
  const cases: Array<[string, string, RegExp]> = [
    ['unclosed flow sequence', 'a: 1\n---\nb: [1,\nc: 2\n', /^f\.yaml:4:1: not valid YAML or JSON: /],
    ['bad indentation', 'a:\n  b: 1\n c: 2\n', /^f\.yaml:3:\d+: /],
    ['duplicate keys', 'a: 1\na: 2\n', /^f\.yaml:2:1: not valid YAML or JSON: Map keys must be unique/],
    ['broken JSON', '{"a": [}\n', /^f\.yaml:1:\d+: /],
    [
      'an alias inside its own anchor',
      'a: &x [ *x ]\n',
      /^f\.yaml:1:9: cannot read the document: the alias \*x is inside/,
    ],
    ['a quote never closed', 'a:\n  b: "x\n  y\n', /^f\.yaml:\d+:\d+: not valid YAML or JSON: Missing closing "quote/],
    ['a document marker inside a quote', 'a: "x\n---\ny"\n', /^f\.yaml:1:\d+: not valid YAML or JSON: Missing closing/],
  ];
  for (const [name, text, message] of cases) {
    const thrown = (await parseManifestText(text, 'f.yaml')).find((entry) => entry instanceof ManifestError);
    t.ok(thrown instanceof ManifestError, `${name}: a ManifestError`);
    t.equal((thrown as ManifestError | undefined)?.code, 'PG_MANIFEST_PARSE', `${name}: code`);
    t.match((thrown as Error | undefined)?.message, message, `${name}: message`);
  }
});

t.test('a broken document takes its own place; the documents around it are still read', async (t) => {
  t.same(await summary('kind: A\n---\na: 1\na: 2\n---\nkind: B\n'), [
    [1, { kind: 'A' }],
    [4, 'f.yaml:4:1: not valid YAML or JSON: Map keys must be unique'],
    [6, { kind: 'B' }],
  ]);
});

t.test('aliases are bounded by what they expand to, not by how many there are', async (t) => {
  const many = `a: &a [x]\nb: [${Array.from({ length: 300 }, () => '*a').join(', ')}]\n`;
  const [document] = await parseManifestText(many, 'f.yaml');
  if (!document || document instanceof ManifestError) return t.fail('read as a document');
  t.equal((document.value as { b: unknown[] }).b.length, 300, '300 aliases of a small node read as written');
  t.same((document.value as { b: unknown[] }).b[299], ['x']);
});

t.test('YAML 1.1 merge keys, as kubectl reads them', async (t) => {
  t.same(await summary('b: &b {x: 1, y: 1}\nc:\n  <<: *b\n  y: 2\n'), [[1, { b: { x: 1, y: 1 }, c: { x: 1, y: 2 } }]]);
  t.same((await summary('b: &b {x: 1}\nd: &d {z: 3}\nc: {<<: [*b, *d]}\n'))[0]?.[1], {
    b: { x: 1 },
    d: { z: 3 },
    c: { x: 1, z: 3 },
  });
});

t.test('quoted scalars continued at the indentation of their key', async (t) => {
  const cases: Array<[string, string, unknown]> = [
    ['double, at the key', 'a:\n  b: "x\n  y"\n', { a: { b: 'x y' } }],
    ['double, at column 0, then more keys', 'a:\n  b: "x\ny"\nc: 1\n', { a: { b: 'x y' }, c: 1 }],
    ['single, with an empty line and an escaped quote', "a:\n  b: 'x\n\ny ''q'''\n", { a: { b: "x\ny 'q'" } }],
    ['two in one document', 'a:\n  b: "x\n  y"\n  c: "p\n  q"\n', { a: { b: 'x y', c: 'p q' } }],
    ['an escaped line break', 'a:\n  b: "x\\\n  y"\n', { a: { b: 'xy' } }],
  ];
  for (const [name, text, expected] of cases) t.same(await summary(text), [[1, expected]], name);
});

t.test('an unrendered template is named as one, with its line and column', async (t) => {
  const render = 'a template: render it first (`helm template … | pullguard check -f -`)';
  const cases: Array<[string, string, string]> = [
    ['a value that parses as a map', 'kind: Pod\nspec:\n  image: {{ .Values.image }}\n', 'f.yaml:3:10'],
    ['a value that breaks the YAML', 'kind: Pod\nimage: {{ .Values.image }}:{{ .Values.tag }}\n', 'f.yaml:2:8'],
    ['a control action', '# c\n{{- if .Values.x }}\nkind: Pod\n{{- end }}\n', 'f.yaml:2:1'],
    ['the second document', 'kind: A\n---\nkind: B\nx: {{ .Values.x }}\n', 'f.yaml:4:4'],
  ];
  for (const [name, text, where] of cases) {
    const thrown = (await parseManifestText(text, 'f.yaml')).find((entry) => entry instanceof ManifestError);
    t.equal((thrown as ManifestError | undefined)?.code, 'PG_MANIFEST_TEMPLATE', `${name}: code`);
    t.equal((thrown as Error | undefined)?.message, `${where}: ${render}`, `${name}: message`);
  }
  t.same(
    await summary('a: "{{ .Values.x }}"\nb: echo {{x}}\n'),
    [[1, { a: '{{ .Values.x }}', b: 'echo {{x}}' }]],
    'in strings',
  );
  t.match(
    await parseManifestText('a: "{{ x }}"\nb: [\n', 'f.yaml'),
    [{ code: 'PG_MANIFEST_PARSE' }],
    'quoted: a parse error',
  );
});
