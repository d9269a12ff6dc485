/**
 * Comments and docs cite only what a reader of the repository can open: docs/design.md (by a section that exists),
 * the other files in the repository, or upstream sources by URL. The product notes and research digests the code
 * was first written against are not in the repository, so a citation of them is a dead end for every reader.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import t from 'tap';

const ROOT = join(import.meta.dirname, '..', '..');
const DESIGN = join(ROOT, 'docs', 'design.md');
const SCANNED_DIRS = ['src', 'test', 'bench', 'docs', 'manifests', 'charts'];
const SCANNED_FILES = ['README.md', 'DEVELOPERS.md', 'Dockerfile'];
/** Text a person writes; fixture data (vectors, captured JSON) is not prose and may hold anything. */
const TEXT_FILE = /\.(ts|mts|mjs|js|md|ya?ml|tpl)$/;

/** What a citation of a document outside the repository looks like, each with what it stands for. */
const FOREIGN: readonly (readonly [RegExp, string])[] = [
  [/\bSPEC\s*§/, 'the product spec by section'],
  [/\bSPEC\.md\b/, 'the product spec'],
  [/\bSTYLE\.md\b/, 'the style notes'],
  [/\bSTYLE principle\b/, 'the style notes by principle'],
  [/\breference\/[\w-]+(?:\.md\b|\/)/, 'the research digests (reference/…)'],
  [/(?:^|[\s(`'"])captures\//, 'captured transcripts'],
];

/** A section (`§`) of a Markdown document: the document must then be a file in the repository. */
const MD_SECTION = /(?<![\w./-])((?:[\w.-]+\/)*[\w.-]+\.md) §/g;
/** `docs/design.md §1.4`, `docs/design.md §1.2, §2.1`, `docs/design.md §5.1 and §7.2`. */
const DESIGN_CITATION = /docs\/design\.md ((?:§\d+(?:\.\d+)?(?:, | and )?)+)/g;

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : walk(path);
    return TEXT_FILE.test(entry.name) ? [path] : [];
  });
}

const files = [
  ...SCANNED_DIRS.flatMap((dir) => walk(join(ROOT, dir))),
  ...SCANNED_FILES.map((name) => join(ROOT, name)).filter((path) => existsSync(path)),
];
const texts = new Map(files.map((path) => [relative(ROOT, path), readFileSync(path, 'utf8')]));
const markdownNames = new Set(files.filter((path) => path.endsWith('.md')).map((path) => basename(path)));

/** Every line of every scanned file, with its place, URLs blanked (an upstream URL may end in `.md`). */
function* lines(): Generator<{ readonly where: string; readonly line: string }> {
  for (const [name, text] of texts) {
    const all = text.split('\n');
    for (let i = 0; i < all.length; i++)
      yield { where: `${name}:${i + 1}`, line: (all[i] ?? '').replace(/https?:\/\/\S+/g, '<url>') };
  }
}

t.test('the scan sees the code, the tests and the docs', async (t) => {
  for (const expected of [
    'src/main.ts',
    'test/architecture/depcheck.test.ts',
    'docs/findings.md',
    'DEVELOPERS.md',
    'README.md',
    'charts/pullguard/templates/_helpers.tpl',
  ]) {
    t.ok(texts.has(expected), expected);
  }
});

t.test('no comment or doc cites a document that is not in the repository', async (t) => {
  const found: string[] = [];
  for (const { where, line } of lines()) {
    for (const [pattern, what] of FOREIGN)
      if (pattern.test(line)) found.push(`${where}: cites ${what}: ${line.trim()}`);
    for (const match of line.matchAll(MD_SECTION)) {
      const cited = match[1] as string;
      const file = where.slice(0, where.lastIndexOf(':'));
      const resolvable = cited.includes('/')
        ? existsSync(join(ROOT, cited)) || existsSync(join(ROOT, dirname(file), cited))
        : markdownNames.has(cited);
      if (!resolvable)
        found.push(`${where}: cites a section of ${cited}, which is not in the repository: ${line.trim()}`);
    }
  }
  t.same(found, [], 'cite docs/design.md §N.M, another file of the repository, or the upstream URL instead');
});

t.test('every cited section of docs/design.md exists', async (t) => {
  t.ok(existsSync(DESIGN), 'docs/design.md exists');
  if (!existsSync(DESIGN)) return;
  const design = readFileSync(DESIGN, 'utf8');
  const sections = new Set([
    ...[...design.matchAll(/^## (\d+)\. /gm)].map((m) => m[1] as string),
    ...[...design.matchAll(/^### (\d+\.\d+) /gm)].map((m) => m[1] as string),
  ]);
  t.ok(sections.size >= 10, `docs/design.md has numbered sections (${sections.size})`);
  const missing: string[] = [];
  let citations = 0;
  for (const { where, line } of lines()) {
    for (const match of line.matchAll(DESIGN_CITATION)) {
      for (const section of (match[1] as string).matchAll(/§(\d+(?:\.\d+)?)/g)) {
        citations++;
        if (!sections.has(section[1] as string))
          missing.push(`${where}: §${section[1]} is not a heading of docs/design.md`);
      }
    }
  }
  // Inside docs/design.md a bare `§N.M` points at its own sections.
  design.split('\n').forEach((line, i) => {
    for (const section of line.matchAll(/§(\d+(?:\.\d+)?)/g)) {
      if (!sections.has(section[1] as string))
        missing.push(`docs/design.md:${i + 1}: §${section[1]} is not one of its headings`);
    }
  });
  t.ok(citations > 0, `the code cites docs/design.md (${citations} citations)`);
  t.same(missing, [], 'every cited section exists');
});
