import t from 'tap';
import { crioFixture } from '../../test/helpers/node-pull-fixtures.js';
import { findRegistry, matchLength, readCrioRegistries } from './crio-registries.js';
import { MAX_ENTRIES, MAX_FILE_BYTES } from './toml-input.js';

const { model, problems } = readCrioRegistries(crioFixture());

t.test('the fixture reads without problems: globals, registries and aliases', async (t) => {
  t.same(problems, []);
  t.same(model.searchRegistries, ['registry.fedoraproject.org', 'registry.access.redhat.com', 'docker.io']);
  t.equal(model.shortNameMode, 'enforcing');
  t.same(
    model.registries.map((r) => r.prefix),
    ['example.com/foo', 'docker.io/library', 'registry.untrusted.com', '*.internal.example.com', 'quay.io'],
  );
});

t.test('a later drop-in replaces a [[registry]] with the same prefix as a whole, and erases an alias', async (t) => {
  const foo = model.registries.find((r) => r.prefix === 'example.com/foo');
  t.equal(foo?.location, 'replacement.example.com/foo');
  t.same(foo?.mirrors, [], 'the mirrors of the replaced entry are gone too');
  t.equal(foo?.file, 'registries.conf.d/20-override.conf');
  t.same([...model.aliases], [['nginx', 'docker.io/library/nginx']]);
});

t.test('the base file alone keeps its entry, mirrors in order', async (t) => {
  const base = readCrioRegistries(crioFixture().slice(0, 1)).model;
  const foo = base.registries.find((r) => r.prefix === 'example.com/foo');
  t.same(
    foo?.mirrors.map((m) => [m.location, m.insecure, m.pullFromMirror]),
    [
      ['example-mirror-0.local/mirror-for-foo', false, 'all'],
      ['example-mirror-1.local/mirrors/foo', true, 'all'],
    ],
  );
  t.equal(base.aliases.get('fedora'), 'registry.fedoraproject.org/fedora');
});

t.test('globals are replaced only by a drop-in that sets them; the default mode is permissive', async (t) => {
  const files = [
    { name: 'a.conf', text: 'unqualified-search-registries = ["a.example"]\nshort-name-mode = "disabled"' },
    { name: 'b.conf', text: 'short-name-mode = ""' },
  ];
  const merged = readCrioRegistries(files).model;
  t.same([merged.searchRegistries, merged.shortNameMode], [['a.example'], 'disabled']);
  t.equal(readCrioRegistries([{ name: 'c.conf', text: '' }]).model.shortNameMode, undefined);
});

t.test('prefix matching: separators, wildcards, and a prefix that defaults to the location', async (t) => {
  t.equal(matchLength('example.com/foo/app:1', 'example.com/foo'), 15);
  t.equal(matchLength('example.com/foobar/app:1', 'example.com/foo'), -1);
  t.equal(matchLength('example.com/foo', 'example.com/foo'), 15);
  t.equal(matchLength('a.internal.example.com/x:1', '*.internal.example.com'), 22);
  t.equal(matchLength('internal.example.com/x:1', '*.internal.example.com'), -1);
  t.equal(matchLength('evil.com/a.internal.example.com/x', '*.internal.example.com'), -1);
  t.equal(matchLength('a.internal.example.comx/x', '*.internal.example.com'), -1);
  const read = readCrioRegistries([{ name: 'r.conf', text: '[[registry]]\nlocation = "reg.example/"' }]);
  t.equal(read.model.registries[0]?.prefix, 'reg.example');
});

t.test('the longest prefix wins', async (t) => {
  const text = '[[registry]]\nprefix = "docker.io"\nblocked = true\n[[registry]]\nprefix = "docker.io/library/nginx"';
  const longest = readCrioRegistries([{ name: 'r.conf', text }]).model;
  t.equal(findRegistry(longest, 'docker.io/library/nginx:1')?.prefix, 'docker.io/library/nginx');
  t.equal(findRegistry(longest, 'docker.io/library/redis:1')?.prefix, 'docker.io');
  t.equal(findRegistry(longest, 'quay.io/x:1'), undefined);
});

t.test('invalid entries are problems naming the file', async (t) => {
  const cases: Record<string, RegExp> = {
    'unqualified-search-registries = "a"': /unqualified-search-registries must be a list/,
    'short-name-mode = "prompt"': /short-name-mode must be enforcing, permissive or disabled/,
    '[[registry]]\nprefix = "*.example.com/x"': /wildcarded prefix/,
    '[[registry]]\nlocation = "https://reg.example"': /URI schemes are not supported/,
    '[[registry]]\ninsecure = "no"': /insecure must be true or false/,
    '[[registry]]\nblocked = true': /needs a prefix or a location/,
    '[[registry]]\nlocation = "r.example"\n[[registry.mirror]]\ninsecure = true': /has no location/,
    '[[registry]]\nlocation = "r.example"\n[[registry.mirror]]\nlocation = "m"\npull-from-mirror = "some"':
      /pull-from-mirror must be/,
    '[[registry]]\nlocation = "r"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = "m"\npull-from-mirror = "all"':
      /cannot be set together/,
    '[aliases]\nx = 1': /aliases."x" must be a string/,
    'registry = 1': /registry must be tables/,
  };
  for (const [text, message] of Object.entries(cases)) {
    t.match(readCrioRegistries([{ name: 'bad.conf', text }]).problems, [{ file: 'bad.conf', message }], text);
  }
  const broken = readCrioRegistries([{ name: 'broken.conf', text: 'a = 1\n[[registry]\nprefix = "x"' }]);
  t.match(broken.problems, [{ file: 'broken.conf', line: 2, message: /^invalid TOML/ }]);
});

t.test('oversized input is refused', async (t) => {
  const big = readCrioRegistries([{ name: 'big.conf', text: `# ${'a'.repeat(MAX_FILE_BYTES)}` }]);
  t.match(big.problems, [{ file: 'big.conf', message: /larger than/ }]);
  const many = `unqualified-search-registries = [${Array.from({ length: MAX_ENTRIES + 1 }, () => '"a"').join(',')}]`;
  t.match(readCrioRegistries([{ name: 'many.conf', text: many }]).problems, [{ message: /more than 512 entries/ }]);
});
