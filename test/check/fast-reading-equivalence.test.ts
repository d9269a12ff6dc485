/**
 * The fast reader's guarantee (docs/ci.md "What is read, and how"): on every manifest fixture of the repository, what
 * `pullguard check` reads (file, line, value, or the error) is what the precise reader alone reads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import { decodeManifest } from '../../src/check/decode-manifest.js';
import { fastDocuments } from '../../src/check/fast-documents.js';
import { ManifestError } from '../../src/check/manifest-error.js';
import { parseManifestText, type ManifestEntry } from '../../src/check/parse-manifests.js';
import { preciseEntries } from '../../src/check/precise-reader.js';

const ROOT = new URL('../../', import.meta.url);
/** The check fixtures (the YAML cases in yaml/), the objects (custom resources under crd/ among them) and the shipped manifests. */
const FOLDERS = ['test/check/fixtures', 'test/fixtures/objects', 'manifests'];

function manifestFiles(folder: string): string[] {
  return readdirSync(new URL(folder, ROOT), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(ya?ml|json)$/i.test(name))
    .map((name) => join(folder, name))
    .sort();
}

const shown = (entries: Iterable<ManifestEntry>) =>
  [...entries].map((entry) =>
    entry instanceof ManifestError ? [entry.file, entry.line, entry.message] : [entry.file, entry.line, entry.value],
  );

t.test('every fixture reads the same through the fast reader as through the precise one', async (t) => {
  const files = FOLDERS.flatMap(manifestFiles);
  let fastWhole = 0;
  for (const file of files) {
    let text: string;
    try {
      text = decodeManifest(readFileSync(new URL(file, ROOT)), file);
    } catch {
      continue; // not text: neither reader sees it
    }
    const fast = [...fastDocuments(text)];
    if (fast.every((result) => result.kind === 'document')) fastWhole++;
    t.same(shown(await parseManifestText(text, file)), shown(preciseEntries(text, file)), file);
  }
  t.ok(files.length >= 20, `${files.length} fixture files`);
  // Most fixtures are plain manifests: the fast reader must take them, or the comparison above proves little.
  t.ok(fastWhole >= files.length / 2, `${fastWhole} of ${files.length} read whole by the fast reader`);
});

t.test('the same on texts that take both readers in turn', async (t) => {
  const texts: Array<[string, string]> = [
    ['markers, comments, CRLF', '# c\r\nkind: A\r\n--- # two\r\n\r\nkind: B\r\n...\r\nkind: C\r\n'],
    ['content on the marker line', '--- {kind: A}\n--- |\n  text\n---\nkind: B\n'],
    ['empty and null documents', '---\n---\n# c\n---\n~\n---\nnull\n---\nkind: A\n'],
    ['block scalars holding marker-like lines', 'a: |\n  ---\n  ...\nb: >\n  --- x\n---\nkind: B\n'],
    ['an error in the middle', 'kind: A\n---\na: [\n---\nkind: C\n'],
    ['a duplicate key in the middle', 'kind: A\n---\na: 1\na: 2\n---\nkind: C\n'],
    ['a List in the middle', 'kind: A\n---\nkind: List\nitems:\n  - kind: Pod\n  - kind: Job\n---\nkind: C\n'],
    ['a null key in the middle', 'kind: A\n---\n~: 1\n---\nkind: C\n'],
    ['a shared collection in the middle', 'kind: A\n---\na: &x {b: 1}\nc: *x\n---\nkind: C\n'],
    ['a quoted scalar continued at any indentation', 'kind: A\n---\na:\n  b: "x\ny"\n---\nkind: C\n'],
    ['a quote left open across a marker', 'kind: A\n---\na: "x\n---\ny"\n---\nkind: C\n'],
    ['a template at the end', 'kind: A\n---\nimage: {{ .Values.image }}\n'],
    ['an odd document end', 'kind: A\n... x\nkind: B\n'],
    [
      'scalars of the core schema',
      'a: [~, null, true, True, yes, on, 0o17, 0x1F, 1_000, +12, .5, -.inf, .NaN, 2024-01-01, 1:20]\n',
    ],
    ['merge keys', 'base: &b {image: a, name: x}\nc:\n  <<: [*b, {name: y, z: 1}]\n  name: n\n'],
    ['keys that are not strings', '1: a\n1.0: b\ntrue: c\n.inf: d\n0x10: e\n'],
  ];
  for (const [name, text] of texts)
    t.same(shown(await parseManifestText(text, 'f.yaml')), shown(preciseEntries(text, 'f.yaml')), name);
});

t.test('the same on fixtures broken at random (seeded): markers, quotes, indentation, anchors', async (t) => {
  const texts = manifestFiles('test/fixtures/objects')
    .filter((file) => !file.endsWith('.json'))
    .map((file) => readFileSync(new URL(file, ROOT), 'utf8'));
  const bits = [
    '---\n',
    '...\n',
    ' ',
    '\n',
    '- ',
    ': ',
    '"',
    "'",
    '|\n',
    '>\n',
    '&a ',
    '*a',
    '#',
    '{',
    '[',
    '\t',
    '<<: *a\n',
    '~',
    '!x ',
  ];
  let seed = 15;
  const random = (below: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % below;
  };
  let differing = 0;
  let fastWhole = 0;
  const runs = 600;
  for (let run = 0; run < runs; run++) {
    let text = texts[random(texts.length)] ?? '';
    for (let edit = 1 + random(3); edit > 0; edit--) {
      const at = random(text.length + 1);
      text = random(2)
        ? text.slice(0, at) + (bits[random(bits.length)] ?? '') + text.slice(at)
        : text.slice(0, at) + text.slice(at + 1 + random(5));
    }
    if ([...fastDocuments(text)].every((result) => result.kind === 'document')) fastWhole++;
    const fast = shown(await parseManifestText(text, 'f.yaml'));
    if (!isDeepStrictEqual(fast, shown(preciseEntries(text, 'f.yaml')))) {
      differing++;
      t.fail(`differs on ${JSON.stringify(text)}`);
    }
  }
  t.equal(differing, 0);
  t.ok(fastWhole > runs / 10, `${fastWhole} of ${runs} read whole by the fast reader`);
});
