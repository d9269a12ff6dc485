/**
 * Tests mirror src/ (DEVELOPERS.md, Tests): a unit test sits beside the file it tests (`X.test.ts` or
 * `X.<aspect>.test.ts` beside `X.ts`), and a folder of test/ is named after the src/ folder its tests exercise,
 * unless it holds shared test infrastructure or whole-product tests.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import t from 'tap';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');
const TEST = join(ROOT, 'test');
/** test/ folders that are not named after a src/ folder: infrastructure, data, and whole-product tests. */
const NOT_MIRRORED = [
  'architecture',
  'charts',
  'e2e',
  'fixtures',
  'harness',
  'helpers',
  'manifests',
  'packaging',
  'reliability',
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

t.test('every unit test in src/ sits beside the file it tests', async (t) => {
  const files = new Set(filesUnder(SRC));
  const tests = [...files].filter((file) => file.endsWith('.test.ts'));
  t.ok(tests.length > 50, `found ${tests.length} unit tests`);
  const orphans = tests.filter((file) => {
    const subject = basename(file, '.test.ts').split('.')[0] ?? '';
    return !files.has(join(dirname(file), `${subject}.ts`));
  });
  t.same(
    orphans.map((file) => relative(ROOT, file)),
    [],
    'X.test.ts and X.<aspect>.test.ts have an X.ts beside them',
  );
});

t.test('every folder of test/ is named after a src/ folder or is infrastructure', async (t) => {
  const srcFolders = new Set(
    readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name),
  );
  const testFolders = readdirSync(TEST, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  t.same(
    testFolders.filter((name) => !srcFolders.has(name) && !NOT_MIRRORED.includes(name)),
    [],
    'no test/ folder outside the two lists',
  );
  t.same(
    readdirSync(TEST, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name),
    [],
    'no loose files in test/',
  );
});

t.test('test file names are unique across test/, so a name says which test it is', async (t) => {
  const names = filesUnder(TEST)
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => basename(file));
  t.same(
    names.filter((name, i) => names.indexOf(name) !== i),
    [],
    'no two test files share a name',
  );
});
