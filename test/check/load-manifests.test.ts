/** The file-system edge of `check`: which files a directory contributes, in which order, and how reads fail. */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import { loadManifests, manifestFiles } from '../../src/check/load-manifests.js';
import { ManifestError } from '../../src/check/manifest-error.js';

t.test(
  'directories: manifest extensions only, code-point order, file links followed, directory links not',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'pullguard-load-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'm', 'sub'), { recursive: true });
    for (const name of ['b.yaml', 'B.YML', 'a.json', 'notes.txt', 'values.yaml.tpl', 'sub/z.yml'])
      await writeFile(join(dir, 'm', name), 'kind: X\n');
    await writeFile(join(dir, 'outside.yaml'), 'kind: Outside\n');
    await symlink(join(dir, 'outside.yaml'), join(dir, 'm', 'linked.yaml'));
    await symlink(join(dir, 'm'), join(dir, 'm', 'sub', 'loop'));
    t.same(await manifestFiles('m', dir), ['m/B.YML', 'm/a.json', 'm/b.yaml', 'm/linked.yaml', 'm/sub/z.yml']);
    t.same(await manifestFiles('m/notes.txt', dir), ['m/notes.txt'], 'a file named directly is read whatever its name');
    const documents = await all(
      loadManifests({
        sources: ['m/linked.yaml', '-'],
        cwd: dir,
        stdin: Readable.from([Buffer.from('kind: A\n---\nkind: B\n')]),
      }),
    );
    t.same(documents, [
      { file: 'm/linked.yaml', line: 1, value: { kind: 'Outside' } },
      { file: '<stdin>', line: 1, value: { kind: 'A' } },
      { file: '<stdin>', line: 3, value: { kind: 'B' } },
    ]);
  },
);

t.test(
  'read failures are ManifestErrors that name the file, in their place; the other inputs are still read',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'pullguard-load-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'empty'));
    await writeFile(join(dir, 'good.yaml'), 'kind: Good\n');
    await writeFile(join(dir, 'broken.yaml'), 'kind: [\n---\nkind: After\n');
    const entries = await all(
      loadManifests({
        sources: ['/nonexistent/x.yaml', 'broken.yaml', 'empty', 'good.yaml'],
        cwd: dir,
        stdin: Readable.from([]),
      }),
    );
    t.same(
      entries.map((e) => (e instanceof ManifestError ? [e.code, e.message] : [e.file, e.value])),
      [
        ['PG_MANIFEST_NOT_FOUND', '/nonexistent/x.yaml: no such file or directory'],
        ['PG_MANIFEST_PARSE', (entries[1] as ManifestError | undefined)?.message],
        ['broken.yaml', { kind: 'After' }],
        ['PG_MANIFEST_NO_FILES', 'empty: no .yaml, .yml or .json files in this directory'],
        ['good.yaml', { kind: 'Good' }],
      ],
    );
    const parse = entries[1];
    t.ok(parse instanceof ManifestError && parse.line !== undefined && parse.column !== undefined, 'line and column');
    t.match((parse as ManifestError | undefined)?.message, /^broken\.yaml:\d+:\d+: not valid YAML or JSON/);
  },
);

t.test('files and stdin are read as bytes and decoded: a UTF-16 file, UTF-16 on stdin in chunks, binary', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pullguard-load-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('kind: A\n---\nkind: B é\n', 'utf16le')]);
  await writeFile(join(dir, 'windows.yaml'), utf16);
  await writeFile(join(dir, 'junk.yaml'), Buffer.from([0x6b, 0x00, 0xff]));
  const documents = await all(
    loadManifests({
      sources: ['windows.yaml', '-'],
      cwd: dir,
      // split inside a code unit: the chunks are joined before decoding
      stdin: Readable.from([utf16.subarray(0, 5), utf16.subarray(5)]),
    }),
  );
  t.same(documents, [
    { file: 'windows.yaml', line: 1, value: { kind: 'A' } },
    { file: 'windows.yaml', line: 3, value: { kind: 'B é' } },
    { file: '<stdin>', line: 1, value: { kind: 'A' } },
    { file: '<stdin>', line: 3, value: { kind: 'B é' } },
  ]);
  const [junk] = await all(loadManifests({ sources: ['junk.yaml'], cwd: dir, stdin: Readable.from([]) }));
  t.ok(junk instanceof ManifestError, 'binary is an error entry');
  t.match(junk, { code: 'PG_MANIFEST_NOT_TEXT', message: /^junk\.yaml:1: not text: binary data/ });
});

t.test('files are read one at a time, as their entries are taken', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pullguard-load-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'first.yaml'), 'kind: A\n---\nkind: B\n');
  await writeFile(join(dir, 'second.yaml'), 'kind: C\n');
  const entries = loadManifests({ sources: ['first.yaml', 'second.yaml'], cwd: dir, stdin: Readable.from([]) });
  t.match((await entries.next()).value, { file: 'first.yaml', value: { kind: 'A' } });
  // second.yaml has not been read yet: what it holds when its turn comes is what is read.
  await writeFile(join(dir, 'second.yaml'), 'kind: Changed\n');
  const rest = await all(entries);
  t.same(
    rest.map((e) => (e instanceof ManifestError ? e.code : e.value)),
    [{ kind: 'B' }, { kind: 'Changed' }],
  );
});

async function all<T>(entries: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const entry of entries) out.push(entry);
  return out;
}
