/**
 * The fast reader's guarantee (docs/ci.md "What is read, and how"): on every manifest fixture of the repository, what
 * `pullguard check` reads (file, line, value, or the error) is what the precise reader alone reads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { decodeManifest } from '../../src/check/decode-manifest.js';
import { fastDocuments } from '../../src/check/fast-documents.js';
import { ManifestError } from '../../src/check/manifest-error.js';
import { manifestEntries, preciseEntries, type ManifestEntry } from '../../src/check/parse-manifests.js';

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
    t.same(shown(manifestEntries(text, file)), shown(preciseEntries(text, file)), file);
  }
  t.ok(files.length >= 20, `${files.length} fixture files`);
  // Most fixtures are plain manifests: the fast reader must take them, or the comparison above proves little.
  t.ok(fastWhole >= files.length / 2, `${fastWhole} of ${files.length} read whole by the fast reader`);
});
