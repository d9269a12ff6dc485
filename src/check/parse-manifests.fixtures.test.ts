import { readFileSync } from 'node:fs';
import t from 'tap';
import { decodeManifest } from './decode-manifest.js';
import { ManifestError } from './manifest-error.js';
import { parseManifestText } from './parse-manifests.js';

/** One file of test/check/fixtures/yaml, read as `pullguard check` reads it: bytes, decoded, parsed. */
async function read(name: string): Promise<unknown[]> {
  const bytes = readFileSync(new URL(`../../test/check/fixtures/yaml/${name}`, import.meta.url));
  return (await parseManifestText(decodeManifest(bytes, name), name)).map((entry) => {
    if (entry instanceof ManifestError) throw entry; // as `failure` expects: the first error of the file
    return entry.value;
  });
}

async function failure(name: string): Promise<ManifestError> {
  try {
    await read(name);
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error(`${name} was read`);
}

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'utf16' },
  spec: { containers: [{ name: 'app', image: 'registry.example/app:1.2' }] },
};

t.test('every encoding with a byte-order mark reads as the UTF-8 file does', async (t) => {
  t.same(await read('plain-utf8.yaml'), [POD]);
  for (const name of ['utf8-bom', 'utf16le-bom', 'utf16be-bom', 'utf32le-bom', 'utf32be-bom'])
    t.same(await read(`${name}.yaml`), [POD], name);
});

t.test('binary, undecodable and unmarked UTF-16 input is refused, naming the file', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['binary.yaml', /^binary\.yaml:3: not text: binary data \(a NUL character\)/],
    ['invalid-utf8.yaml', /^invalid-utf8\.yaml: not text: invalid UTF-8 /],
    ['utf16le-no-bom.yaml', /^utf16le-no-bom\.yaml:1: not text: binary data .*UTF-16\/UTF-32 with a byte-order mark/],
  ];
  for (const [name, message] of cases) {
    const error = await failure(name);
    t.equal(error.code, 'PG_MANIFEST_NOT_TEXT', name);
    t.match(error.message, message, name);
  }
});

t.test("merge keys bring their containers' images", async (t) => {
  const [pod] = (await read('merge-keys.yaml')) as Array<{ spec: { containers: unknown[] } }>;
  t.same(pod?.spec.containers, [
    { image: 'registry.example/app:1.2', imagePullPolicy: 'IfNotPresent', name: 'app' },
    { image: 'registry.example/sidecar:3', imagePullPolicy: 'IfNotPresent', name: 'sidecar' },
  ]);
});

t.test('multi-line quoted scalars read as go-yaml reads them', async (t) => {
  const [pod] = (await read('multiline-quoted.yaml')) as Array<{ metadata: { annotations: unknown }; spec: unknown }>;
  t.same(pod?.metadata.annotations, { description: 'a long description', note: "it's continued\ntwice" });
  t.same(pod?.spec, { containers: [{ name: 'app', image: 'registry.example/app:1.2', args: ['--flag=a b'] }] });
});

t.test('aliases: many are read, an explosive expansion is refused', async (t) => {
  const [configMap] = (await read('many-aliases.yaml')) as Array<{ data: Record<string, unknown> }>;
  t.equal(Object.keys(configMap?.data ?? {}).length, 150);
  t.same(configMap?.data['k150'], { name: 'A', value: '1' });
  const error = await failure('billion-laughs.yaml');
  t.equal(error.code, 'PG_MANIFEST_PARSE');
  t.match(error.message, /^billion-laughs\.yaml:2:1: cannot read the document: its aliases expand it by more than/);
});

t.test('Helm templates are named, with file, line and column', async (t) => {
  const render = 'a template: render it first (`helm template … | pullguard check -f -`)';
  t.equal((await failure('helm-template.yaml')).message, `helm-template.yaml:4:9: ${render}`);
  t.equal((await failure('helm-control.yaml')).message, `helm-control.yaml:2:1: ${render}`);
  t.equal((await failure('helm-control.yaml')).code, 'PG_MANIFEST_TEMPLATE');
});
