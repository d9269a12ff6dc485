import t from 'tap';
import {
  compactIndexPlatforms,
  indexPlatformList,
  MAX_INDEX_PLATFORMS,
  MAX_PLATFORM_FIELD_LENGTH,
  MAX_PLATFORMS_TEXT_LENGTH,
} from './index-platforms.js';
import { checkIndexPlatforms } from './match-platform.js';
import { formatPlatform, parsePlatform, type Platform } from './platform.js';

function p(text: string): Platform {
  const parsed = parsePlatform(text);
  if (!parsed) throw new Error(`bad platform in test: ${text}`);
  return parsed;
}

t.test('keeps each distinct platform once, in index order, as spelled', async (t) => {
  const index = compactIndexPlatforms([
    p('linux/amd64'),
    p('linux/arm64/v8'),
    p('linux/amd64'),
    { os: '', architecture: 's390x' },
    p('Linux/AMD64'),
  ]);
  t.same(index, {
    platforms: 'linux/amd64/ linux/arm64/v8 /s390x/ Linux/AMD64/',
    unplatformed: false,
    incomplete: false,
  });
  t.same(indexPlatformList(index), [
    p('linux/amd64'),
    p('linux/arm64/v8'),
    { os: '', architecture: 's390x' },
    p('Linux/AMD64'),
  ]);
  t.ok(Object.isFrozen(index));
});

t.test('an entry without a platform is remembered as a flag', async (t) => {
  t.same(compactIndexPlatforms([undefined, p('linux/amd64')]), {
    platforms: 'linux/amd64/',
    unplatformed: true,
    incomplete: false,
  });
  t.same(indexPlatformList(compactIndexPlatforms([])), []);
});

t.test('platforms no real index has are dropped, and the set marked incomplete', async (t) => {
  const long = 'v'.repeat(MAX_PLATFORM_FIELD_LENGTH + 1);
  const cases: [name: string, platform: Platform][] = [
    ['over-long variant', { os: 'linux', architecture: 'arm', variant: long }],
    ['over-long architecture', { os: 'linux', architecture: long }],
    ['over-long os', { os: long, architecture: 'amd64' }],
    ['a space', { os: 'linux', architecture: 'amd 64' }],
    ['a slash', { os: 'linux', architecture: 'arm', variant: 'v7/x' }],
    ['non-ASCII', { os: 'linux', architecture: 'ämd64' }],
  ];
  for (const [name, platform] of cases) {
    t.same(
      compactIndexPlatforms([p('linux/amd64'), platform]),
      { platforms: 'linux/amd64/', unplatformed: false, incomplete: true },
      name,
    );
  }
  const longest = 'x'.repeat(MAX_PLATFORM_FIELD_LENGTH);
  t.equal(
    compactIndexPlatforms([{ os: longest, architecture: longest, variant: longest }]).incomplete,
    false,
    'fields of the maximum length are kept',
  );
});

t.test('at most MAX_INDEX_PLATFORMS platforms in at most MAX_PLATFORMS_TEXT_LENGTH characters', async (t) => {
  const many = Array.from({ length: 1000 }, (_, i) => ({ os: 'l', architecture: `a${i}` }));
  const counted = compactIndexPlatforms(many);
  t.equal(indexPlatformList(counted).length, MAX_INDEX_PLATFORMS);
  t.equal(counted.incomplete, true);
  const wide = Array.from({ length: 1000 }, (_, i) => ({
    os: 'o'.repeat(32),
    architecture: 'a'.repeat(32),
    variant: String(i).padStart(32, '0'),
  }));
  const measured = compactIndexPlatforms(wide);
  t.ok(measured.platforms.length <= MAX_PLATFORMS_TEXT_LENGTH, `${measured.platforms.length} characters`);
  t.equal(
    indexPlatformList(measured).length,
    Math.floor((MAX_PLATFORMS_TEXT_LENGTH + 1) / 99),
    'as many whole platforms as fit',
  );
  t.equal(measured.incomplete, true);
});

t.test('thousands of entries with long variants (a hostile index) compact to a few hundred bytes', async (t) => {
  const hostile = Array.from({ length: 10_000 }, (_, i) => ({
    os: 'linux',
    architecture: 'amd64',
    variant: `${i}-${'v'.repeat(400)}`,
  }));
  const index = compactIndexPlatforms([p('linux/arm64'), ...hostile]);
  t.same(index, { platforms: 'linux/arm64/', unplatformed: false, incomplete: true });
});

t.test('an incomplete index never proves a candidate unserved', async (t) => {
  const index = compactIndexPlatforms([
    p('linux/amd64'),
    { os: 'linux', architecture: 'arm64', variant: 'v'.repeat(100) },
  ]);
  const both = checkIndexPlatforms({ index, candidates: [p('linux/amd64'), p('linux/arm64')] });
  t.equal(both.status, 'unknown', 'arm64 might be served by the dropped entry: no partial');
  t.same(both.unsupported, []);
  t.same(both.supported.map(formatPlatform), ['linux/amd64']);
  const none = checkIndexPlatforms({ index, candidates: [p('linux/s390x')] });
  t.equal(none.status, 'unknown', 'no mismatch either');
  const served = checkIndexPlatforms({ index, candidates: [p('linux/amd64')] });
  t.equal(served.status, 'ok', 'what the kept platforms serve is still ok');
  const unplatformed = checkIndexPlatforms({
    index: compactIndexPlatforms([undefined, p('linux/amd64')]),
    candidates: [p('linux/arm64')],
  });
  t.equal(unplatformed.status, 'ok', 'an entry without a platform may serve any node');
});
