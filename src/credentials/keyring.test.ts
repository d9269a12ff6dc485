import { readFileSync } from 'node:fs';
import t from 'tap';
import { createKeyring, indexKeyOf, MAX_KEY_LABEL_LENGTH, unionKeyrings, type KeyringEntry } from './keyring.js';

const FIXTURES = new URL('../../test/fixtures/keyring/', import.meta.url);

/** label -> config key, from config-keys.tsv. */
function configKeys(): Map<string, string> {
  const text = readFileSync(new URL('config-keys.tsv', FIXTURES), 'utf8');
  const rows = text.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
  return new Map(rows.map((line) => line.split('\t') as [string, string]));
}

interface Vectors {
  readonly index: string[];
  readonly lookups: { repository: string; labels: string[] }[];
}

function vectors(): Vectors {
  const lines = readFileSync(new URL('keyring-matching.txt', FIXTURES), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const [indexLine = '', ...rest] = lines;
  const index = indexLine.replace(/^index \(reverse-sorted\):\s*/, '').split(' | ');
  const lookups = rest.map((line) => {
    const match = /^(\S+)\s+->\s+\[(.*)\]$/.exec(line);
    if (match === null) throw new Error(`unreadable vector line: ${line}`);
    return { repository: match[1] ?? '', labels: (match[2] ?? '').split(' ').filter((l) => l !== '') };
  });
  return { index, lookups };
}

// Each label is one entry whose username is the label, so a lookup's usernames are the matched labels in order.
const keys = configKeys();
const entries: KeyringEntry[] = [...keys].map(([label, key]) => ({
  key,
  username: label,
  password: 'pw',
  source: label,
}));
const keyring = createKeyring(entries);
const { index, lookups } = vectors();

t.test('the index is the vectors index line, in reverse lexicographic order', async (t) => {
  t.equal(lookups.length, 23, 'all vector lines were read');
  t.same(keyring.indexKeys, index);
});

t.test('each image repository gets exactly the vector credentials, most specific first', async (t) => {
  for (const { repository, labels } of lookups) {
    t.same(
      keyring.lookup(repository).map((c) => c.username),
      labels,
      `${repository} -> [${labels.join(' ')}]`,
    );
  }
});

t.test('config keys become index keys as the kubelet indexes them', async (t) => {
  const table: [string, string | undefined][] = [
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['index.docker.io', 'index.docker.io'],
    ['http://insecure.local:8080/v2/', 'insecure.local:8080'],
    ['https://registry.example.com/v2/team', 'registry.example.com/team'],
    ['https://registry.example.com/v1', 'registry.example.com/v1'],
    ['registry.example.com/', 'registry.example.com'],
    ['REGISTRY.UPPER.COM', 'REGISTRY.UPPER.COM'],
    ['https://user@ghcr.io/', 'ghcr.io'],
    ['quay.io/myorg?x=1', 'quay.io/myorg'],
    ['reg[a-c].example.com', 'reg[a-c].example.com'],
    ['[a-c]reg.example.com', undefined], // Go reads a leading '[' as an IPv6 literal and fails on the rest
    ['registry.example.com:abc', undefined],
    ['bad host.example.com', undefined],
    ['registry.example.com/%zz', undefined],
  ];
  for (const [configKey, want] of table) t.equal(indexKeyOf(configKey), want, configKey);
});

const entry = (key: string, username: string, source = 'secret ns/a'): KeyringEntry => ({
  key,
  username,
  password: 'pw',
  source,
});

t.test('order: a more specific key from a later secret still comes first', async (t) => {
  const ring = createKeyring([
    entry('registry.example.com', 'host', 'secret ns/a'),
    entry('registry.example.com/team', 'team', 'secret ns/b'),
  ]);
  t.same(
    ring.lookup('registry.example.com/team/app').map((c) => [c.username, c.source]),
    [
      ['team', 'secret ns/b'],
      ['host', 'secret ns/a'],
    ],
  );
});

t.test(
  'order: credentials for the same key keep the secrets order; http and https keys are the same key',
  async (t) => {
    const ring = createKeyring([
      entry('https://ghcr.io', 'first'),
      entry('http://ghcr.io/v2/', 'second'),
      entry('ghcr.io', 'third'),
    ]);
    t.same(ring.indexKeys, ['ghcr.io']);
    t.same(
      ring.lookup('ghcr.io/o/i').map((c) => c.username),
      ['first', 'second', 'third'],
    );
  },
);

t.test('the index.docker.io fallback applies only when nothing else matched', async (t) => {
  const ring = createKeyring([entry('https://index.docker.io/v1/', 'hub'), entry('docker.io', 'docker-io')]);
  t.same(
    ring.lookup('docker.io/library/nginx').map((c) => c.username),
    ['docker-io'],
  );
  t.same(
    ring.lookup('library/nginx').map((c) => c.username),
    ['hub'],
    'no domain: default registry',
  );
  t.same(
    ring.lookup('nginx').map((c) => c.username),
    ['hub'],
    'single segment: default registry',
  );
  t.same(
    ring.lookup('localhost/app').map((c) => c.username),
    ['hub'],
    'localhost has no dot: default registry',
  );
  t.same(
    ring.lookup('localhost:5000/app').map((c) => c.username),
    [],
    'a port makes it a host',
  );
  t.same(
    ring.lookup('ghcr.io/o/i').map((c) => c.username),
    [],
  );
});

t.test('ports must be equal, a port-less key does not cover :443', async (t) => {
  const ring = createKeyring([entry('registry.example.com', 'plain'), entry('registry.example.com:443', 'tls')]);
  t.same(
    ring.lookup('registry.example.com:443/a').map((c) => c.username),
    ['tls'],
  );
  t.same(
    ring.lookup('registry.example.com/a').map((c) => c.username),
    ['plain'],
  );
});

t.test('unparseable keys are ignored, the rest still work', async (t) => {
  const ring = createKeyring([entry('registry.example.com:abc', 'bad'), entry('registry.example.com', 'good')]);
  t.same(ring.indexKeys, ['registry.example.com']);
  t.same(
    ring.lookup('registry.example.com/a').map((c) => c.username),
    ['good'],
  );
});

t.test('a malformed glob key never matches', async (t) => {
  const ring = createKeyring([entry('[.example.com', 'bad')]);
  t.same(ring.lookup('a.example.com/x'), []);
});

t.test('union: every keyring answers in order, each with its own default-registry fallback', async (t) => {
  const pod = createKeyring([entry('ghcr.io', 'pod-ghcr', 'secret ns/a')]);
  const node = createKeyring([
    entry('https://index.docker.io/v1/', 'node-hub', 'docker config'),
    entry('ghcr.io', 'node-ghcr', 'docker config'),
  ]);
  const union = unionKeyrings([pod, node]);
  t.same(
    union.lookup('ghcr.io/o/i').map((c) => c.username),
    ['pod-ghcr', 'node-ghcr'],
  );
  t.same(
    union.lookup('docker.io/library/nginx').map((c) => c.username),
    ['node-hub'],
  );
  t.same(unionKeyrings([]).lookup('docker.io/library/nginx'), []);
});

t.test('credentials carry their source and are frozen', async (t) => {
  const [credential] = createKeyring([entry('ghcr.io', 'u', 'secret shop/regcred')]).lookup('ghcr.io/x/y');
  t.same(credential, { username: 'u', password: 'pw', source: 'secret shop/regcred' });
  t.ok(Object.isFrozen(credential));
});

t.test(
  'a lookup is remembered: the same repository gets the same frozen list (credential fingerprints reuse it)',
  async (t) => {
    const keyring = createKeyring([{ key: 'quay.io', username: 'u', password: 'p', source: 'docker config' }]);
    const first = keyring.lookup('quay.io/team/app');
    t.equal(keyring.lookup('quay.io/team/app'), first);
    t.ok(Object.isFrozen(first));
    t.same(
      first.map((c) => c.username),
      ['u'],
    );
    t.same(keyring.lookup('ghcr.io/team/app'), [], 'no match');
    const union = unionKeyrings([
      keyring,
      createKeyring([{ key: 'quay.io/team', username: 'v', password: 'q', source: 'secret a/b' }]),
    ]);
    const merged = union.lookup('quay.io/team/app');
    t.equal(union.lookup('quay.io/team/app'), merged);
    t.same(
      merged.map((c) => c.username),
      ['u', 'v'],
    );
  },
);

t.test('a glob key against a huge host label answers at once (no quadratic matching)', async (t) => {
  // Issue 13: the key `*b.test` against a 40,000-character label blocked the event loop for 13–15 s. Lookups take
  // what the caller gives them, so this one is not capped by the reference grammar; the test's timeout is the bound.
  const ring = createKeyring([entry('*b.test', 'glob'), entry('*.test', 'any')]);
  t.same(
    ring.lookup(`${'a'.repeat(200_000)}.test/app`).map((c) => c.username),
    ['any'],
  );
  t.same(
    ring.lookup(`${'a'.repeat(200_000)}b.test/app`).map((c) => c.username),
    ['glob', 'any'],
  );
});

t.test('a key label longer than MAX_KEY_LABEL_LENGTH never matches; the other keys still do', async (t) => {
  const longGlob = `r${'[a-z]'.repeat(60)}*`;
  t.ok(longGlob.length > MAX_KEY_LABEL_LENGTH);
  const ring = createKeyring([entry(`${longGlob}.example.com`, 'long'), entry('*.example.com', 'short')]);
  t.same(
    ring.lookup(`r${'a'.repeat(61)}.example.com/app`).map((c) => c.username),
    ['short'],
  );
  const fits = `r${'[a-z]'.repeat(50)}*`;
  t.ok(fits.length <= MAX_KEY_LABEL_LENGTH);
  t.same(
    createKeyring([entry(`${fits}.example.com`, 'fits')])
      .lookup(`r${'a'.repeat(61)}.example.com/app`)
      .map((c) => c.username),
    ['fits'],
  );
});
