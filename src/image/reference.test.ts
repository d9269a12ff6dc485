import { readFileSync } from 'node:fs';
import t from 'tap';
import {
  canonicalReference,
  isDockerHub,
  parseImageReference,
  registryApiHost,
  repositoryName,
  type ImageReference,
} from './reference.js';
import { MAX_REFERENCE_LENGTH } from './reference-limits.js';

interface Vector {
  readonly line: number;
  readonly input: string;
  readonly error?: string;
  readonly fields: ReadonlyMap<string, string>;
}

/** Reads the distribution/reference v0.6.0 vectors: `"<json input>"\t(ERROR: <text> | key=value\t...)`. */
function readVectors(): Vector[] {
  const url = new URL('../../test/fixtures/testvectors/reference-distribution-v0.6.0.tsv', import.meta.url);
  const lines = readFileSync(url, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  return lines.map((text, index) => {
    const [quoted = '', ...rest] = text.split('\t');
    const input: unknown = JSON.parse(quoted);
    if (typeof input !== 'string') throw new Error(`line ${index + 1}: input is not a JSON string`);
    const first = rest[0] ?? '';
    if (first.startsWith('ERROR: ')) return { line: index + 1, input, error: first.slice(7), fields: new Map() };
    const fields = new Map(rest.map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)] as const));
    return { line: index + 1, input, fields };
  });
}

const vectors = readVectors();

t.test('the vector file is complete', async (t) => {
  t.equal(vectors.length, 69);
  t.ok(vectors.filter((v) => v.error !== undefined).length > 20, 'has many invalid inputs');
});

t.test('every distribution/reference v0.6.0 vector', async (t) => {
  for (const v of vectors) {
    const result = parseImageReference(v.input);
    const label = `line ${v.line}: ${JSON.stringify(v.input).slice(0, 80)}`;
    if (v.error !== undefined) {
      t.same(result, { ok: false, reason: v.error }, label);
      continue;
    }
    if (v.fields.get('domain') === '') {
      // Go accepts it with no domain at all; pullguard refuses it, since there is no registry to ask.
      t.equal(result.ok, false, `${label} has no domain and is refused`);
      if (!result.ok)
        t.match(result.reason, /^invalid reference format: registry host \(.+\) is not a valid domain name$/);
      continue;
    }
    if (!result.ok) {
      t.fail(`${label} should parse, got ${result.reason}`);
      continue;
    }
    const ref = result.reference;
    const tag = v.fields.get('tag') ?? '';
    const digest = v.fields.get('digest') ?? '';
    t.same(
      { domain: ref.domain, path: ref.path, tag: ref.tag ?? '', digest: ref.digest ?? '' },
      { domain: v.fields.get('domain'), path: v.fields.get('path'), tag, digest },
      label,
    );
    // Go's String() never adds `:latest`; the canonical form does exactly that and nothing else.
    const goString = v.fields.get('string') ?? '';
    const expected = tag === '' && digest === '' ? `${goString}:latest` : goString;
    t.equal(canonicalReference(ref), expected, `${label} canonical form`);
    t.equal(repositoryName(ref), `${v.fields.get('domain')}/${v.fields.get('path')}`, `${label} repository name`);
  }
});

const HEX = '0d27d8025031c96ad9a7bcb4d0fc26a6cca6cb6ead2baefaa33ef197c4213735';

t.test('canonical form (docs/design.md §1.2)', async (t) => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['nginx', 'docker.io/library/nginx:latest'],
    ['localhost:5000/foo:bar', 'localhost:5000/foo:bar'],
    ['localhost:5000', 'docker.io/library/localhost:5000'],
    [`nginx@sha256:${HEX}`, `docker.io/library/nginx@sha256:${HEX}`],
    [`nginx:1.25@sha256:${HEX}`, `docker.io/library/nginx:1.25@sha256:${HEX}`],
    ['index.docker.io/library/nginx:1', 'docker.io/library/nginx:1'],
    ['[::1]:5000/app', '[::1]:5000/app:latest'],
    ['MyRegistry.example.com/app', 'MyRegistry.example.com/app:latest'],
  ];
  for (const [input, canonical] of cases) {
    const result = parseImageReference(input);
    t.equal(result.ok && canonicalReference(result.reference), canonical, input);
  }
});

t.test('digest validation follows go-digest', async (t) => {
  const cases: ReadonlyArray<readonly [string, string | undefined]> = [
    [`a@sha384:${'a'.repeat(96)}`, undefined],
    [`a@sha512:${'b'.repeat(128)}`, undefined],
    [`a@sha384:${'a'.repeat(64)}`, 'invalid checksum digest length'],
    [`a@sha256:${'a'.repeat(65)}`, 'invalid checksum digest length'],
    [`a:v1@SHA256:${'a'.repeat(64)}`, 'invalid checksum digest format'],
    // As in Go, the lower-case check sees everything before the first ':' (here `library/a@SHA256`).
    [`a@SHA256:${'a'.repeat(64)}`, 'invalid reference format: repository name (library/a@SHA256) must be lowercase'],
    [`a@constructor:${'a'.repeat(64)}`, 'unsupported digest algorithm'],
    [`a@sha256+b64:${'a'.repeat(64)}`, 'unsupported digest algorithm'],
    [`a@sha256:${'a'.repeat(31)}`, 'invalid reference format'],
  ];
  for (const [input, reason] of cases) {
    const result = parseImageReference(input);
    t.same(result.ok ? undefined : result.reason, reason, input);
  }
});

t.test('upper-case repository names', async (t) => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    // The first segment is taken as a host (upper case), the grammar refuses `_` in a host, so the lower-cased retry
    // in reference.Parse reports the upper case.
    ['Fo_o/bar', 'repository name must be lowercase'],
    ['ghcr.io/Owner/app', 'invalid reference format: repository name (Owner/app) must be lowercase'],
    ['ghcr.io/owner/app:V1', ''],
    // A one-character repository: the tag starts at index 1 of the remainder, and is still not part of the name.
    ['ghcr.io/a:V1', ''],
  ];
  for (const [input, reason] of cases) {
    const result = parseImageReference(input);
    t.equal(result.ok ? '' : result.reason, reason, input);
  }
});

t.test('inputs outside the ASCII grammar are refused like Go does', async (t) => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['nginx\n', 'invalid reference format'],
    ['\tnginx', 'invalid reference format'],
    ['ngïnx', 'invalid reference format'],
    ['ghcr.io/owner/app:v1\n', 'invalid reference format'],
    ['', 'invalid reference format'],
    ['ghcr.io/owner/app:v1:v2', 'invalid reference format'],
    ['ghcr.io/owner/app@@sha256:' + HEX, 'invalid reference format'],
  ];
  for (const [input, reason] of cases) {
    t.same(parseImageReference(input), { ok: false, reason }, JSON.stringify(input));
  }
});

t.test('a parsed reference is frozen and omits absent parts', async (t) => {
  const result = parseImageReference('nginx');
  t.ok(result.ok);
  if (!result.ok) return;
  t.ok(Object.isFrozen(result.reference));
  t.same(Object.keys(result.reference).sort(), ['domain', 'path']);
});

t.test('registry API host and Docker Hub', async (t) => {
  t.equal(registryApiHost('docker.io'), 'registry-1.docker.io');
  t.equal(registryApiHost('localhost:5000'), 'localhost:5000');
  t.equal(registryApiHost('[::1]:5000'), '[::1]:5000');
  t.equal(registryApiHost('registry-1.docker.io'), 'registry-1.docker.io');
  const hub: ImageReference = { domain: 'docker.io', path: 'library/nginx' };
  t.equal(isDockerHub(hub), true);
  t.equal(isDockerHub({ domain: 'registry-1.docker.io', path: 'library/nginx' }), false);
  t.equal(isDockerHub({ domain: 'index.docker.io', path: 'library/nginx' }), false, 'only the normalized domain');
});

// What these inputs cost is bench/'s figure W1 (bench/figures/worst-case-inputs.ts), not an assertion here.
t.test('pathological inputs (catastrophic backtracking bait) are refused', async (t) => {
  const inputs = [
    'a'.repeat(100_000) + '!',
    'a-'.repeat(50_000) + '!',
    'a.'.repeat(50_000) + '/x!',
    'a/'.repeat(50_000) + '!',
    'a__'.repeat(30_000) + '_',
    `example.com/app:${'t'.repeat(100_000)}`,
    `example.com/app@sha256:${'a'.repeat(100_000)}!`,
    '[' + ':'.repeat(100_000),
  ];
  for (const input of inputs) {
    const result = parseImageReference(input);
    t.equal(result.ok, false, `${input.slice(0, 12)}… is refused`);
  }
});

t.test('a parse is remembered: the same text gives the same frozen result and the same derived strings', async (t) => {
  const first = parseImageReference('registry.example.com/team/app:1.0');
  const again = parseImageReference('registry.example.com/team/app:1.0');
  t.equal(again, first);
  t.ok(Object.isFrozen(first));
  if (!first.ok) throw new Error('expected a parse');
  t.ok(Object.isFrozen(first.reference));
  t.equal(canonicalReference(first.reference), 'registry.example.com/team/app:1.0');
  t.equal(canonicalReference(first.reference), canonicalReference(first.reference));
  t.equal(repositoryName(first.reference), 'registry.example.com/team/app');
  const refused = parseImageReference('UPPER/case');
  t.equal(parseImageReference('UPPER/case'), refused, 'refusals too');
});

t.test('host, label and port lengths are capped as DNS caps them; the path as distribution caps it', async (t) => {
  const label63 = 'a'.repeat(63);
  const host253 = `${label63}.${label63}.${label63}.${'b'.repeat(61)}`;
  t.equal(host253.length, 253);
  const accepted = [
    `${label63}.example.com/app:1`,
    `${host253}/app:1`,
    `${host253}:65535/app:1`,
    `example.com:99999/${'p'.repeat(255)}`,
  ];
  for (const input of accepted)
    t.equal(parseImageReference(input).ok, true, `${input.slice(0, 20)}… (${input.length} chars) parses`);
  const refused: ReadonlyArray<readonly [string, string]> = [
    [
      `${'a'.repeat(64)}.example.com/app:1`,
      'invalid reference format: a registry host label is longer than 63 characters',
    ],
    [`example.${'a'.repeat(64)}/app:1`, 'invalid reference format: a registry host label is longer than 63 characters'],
    [`${host253}c/app:1`, 'invalid reference format: registry host is longer than 253 characters'],
    [`[${'0:'.repeat(130)}1]:5000/app`, 'invalid reference format: registry host is longer than 253 characters'],
    ['example.com:123456/app', 'invalid reference format: registry port has more than 5 digits'],
    [`example.com/${'p'.repeat(256)}`, 'repository name must not be more than 255 characters'],
  ];
  for (const [input, reason] of refused)
    t.same(parseImageReference(input), { ok: false, reason }, `${input.slice(0, 20)}…`);
});

t.test('text longer than any valid reference is refused before the grammar runs, without quoting it', async (t) => {
  t.equal(MAX_REFERENCE_LENGTH, 780);
  const longest = `${'h'.repeat(63)}.${'h'.repeat(63)}.${'h'.repeat(63)}.${'h'.repeat(61)}:65535/${'p'.repeat(255)}:${'t'.repeat(128)}@sha512:${'0'.repeat(128)}`;
  t.equal(longest.length, MAX_REFERENCE_LENGTH);
  t.equal(parseImageReference(longest).ok, true, 'the longest valid reference parses');
  const reason = 'invalid reference format: longer than 780 characters, the longest a valid reference can be';
  for (const input of [
    `${longest}0`,
    'a'.repeat(4_000_000),
    `${'a.'.repeat(2_000_000)}com/x`,
    `[${':'.repeat(4_000_000)}]/x`,
  ]) {
    t.same(parseImageReference(input), { ok: false, reason }, `${input.slice(0, 12)}… (${input.length} chars)`);
  }
});

t.test(
  'the repository path is at most 255 characters, counted after normalization, the domain not included',
  async (t) => {
    // distribution/reference v0.6.0 reference.go: RepositoryNameTotalLengthMax = 255, checked on the path alone;
    // longer gives ErrNameTooLong (https://github.com/distribution/reference/blob/v0.6.0/reference.go).
    const tooLong = 'repository name must not be more than 255 characters';
    const path255 = `team/${'a'.repeat(250)}`;
    const path256 = `team/${'a'.repeat(251)}`;
    t.equal(path255.length, 255);
    const accepted = parseImageReference(`ghcr.io/${path255}:v1`);
    t.same(
      accepted.ok && accepted.reference,
      { domain: 'ghcr.io', path: path255, tag: 'v1' },
      '255 characters: accepted',
    );
    t.same(parseImageReference(`ghcr.io/${path256}:v1`), { ok: false, reason: tooLong }, '256 characters: refused');
    // A long domain does not count against the path.
    const longHost = `${'h'.repeat(60)}.example.com`;
    t.equal(parseImageReference(`${longHost}/${path255}`).ok, true, 'the domain is not part of the 255');
    // Docker Hub's implicit `library/` counts: 247 characters become `library/` + 247 = 255, 248 become 256.
    const hub255 = parseImageReference('a'.repeat(247));
    t.equal(hub255.ok && hub255.reference.path.length, 255, 'library/ + 247: accepted');
    t.same(parseImageReference('a'.repeat(248)), { ok: false, reason: tooLong }, 'library/ + 248: refused');
  },
);
