import t from 'tap';
import { editDistance } from './edit-distance.js';
import { MAX_CANDIDATE_TAGS, MAX_TAG_LENGTH, newestVersion, suggestTags } from './tag-suggestions.js';

t.test('edit distance', async (t) => {
  const cases: [string, string, number][] = [
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['1.99.9', '1.29.3', 2],
    ['latest', 'lastest', 1],
    ['v1', 'v1', 0],
  ];
  for (const [a, b, want] of cases) {
    t.equal(editDistance(a, b), want, `${a} ~ ${b}`);
    t.equal(editDistance(b, a), want, `${b} ~ ${a}`);
  }
  t.equal(editDistance('kitten', 'sitting', 2), undefined, 'over the bound');
  t.equal(editDistance('a', 'abcdefgh', 3), undefined, 'length difference alone exceeds the bound');
});

t.test('newest version-like tag', async (t) => {
  const cases: [string[], string | undefined][] = [
    [['1.28.0', '1.29.3', '1.29', 'latest', 'alpine'], '1.29.3'],
    [['v1', 'v2', 'v10', 'v9'], 'v10'],
    [['1.29.3-alpine', '1.29.3', '1.29.2'], '1.29.3'],
    [['1.30.0-rc1', '1.29.3'], '1.30.0-rc1'],
    [['latest', 'stable', 'main'], undefined],
    [['2024.01.05', '2023.12.31'], '2024.01.05'],
    [[], undefined],
  ];
  for (const [tags, want] of cases) t.equal(newestVersion(tags), want, tags.join(','));
});

t.test('suggestions: three closest, then the newest version', async (t) => {
  const tags = ['latest', '1.28.0', '1.29', '1.29.3', 'alpine', '1.27-alpine', '2.0.0'];
  t.same(suggestTags('1.99.9', tags), ['1.29.3', '1.29', '1.28.0', '2.0.0'], 'the example of docs/design.md §2.2');
  t.same(
    suggestTags('1.99.9', [...tags].reverse()),
    ['1.29.3', '1.29', '1.28.0', '2.0.0'],
    'listing order does not matter',
  );
  // 1.29, alpine and 2.0.0 are all 5 away: versions first, the newer first (the search used to drop whichever tied
  // the third place later in the listing, so the answer depended on the registry's order).
  t.same(suggestTags('lates', tags), ['latest', '2.0.0', '1.29'], 'on a tie a version comes first');
  t.same(suggestTags('lates', [...tags].reverse()), ['latest', '2.0.0', '1.29'], 'ties do not depend on listing order');
  t.same(suggestTags('x', []), []);
  t.same(suggestTags('v1', ['v1']), [], 'the wanted tag itself is never suggested');
});

// How long these large lists take to rank is bench/'s figure W2 (bench/figures/worst-case-inputs.ts).
t.test('10,000 tags: the first suggestion is a closest tag', async (t) => {
  const tags = Array.from({ length: 10_000 }, (_, i) => `build-${i}-${'x'.repeat(i % 50)}`);
  const got = suggestTags('build-42-xy', tags);
  const best = Math.min(...tags.map((tag) => editDistance('build-42-xy', tag) as number));
  t.equal(editDistance('build-42-xy', got[0] as string), best, 'the first suggestion is a closest tag');
});

/** A small deterministic generator (mulberry32). */
function randomInts(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) % n;
  };
}

t.test('edit distance within a bound agrees with the full computation', async (t) => {
  const random = randomInts(7);
  const word = () => Array.from({ length: random(20) }, () => 'ab.-1'[random(5)]).join('');
  const disagreements: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const [a, b, bound] = [word(), word(), random(10)];
    const full = editDistance(a, b) as number;
    const banded = editDistance(a, b, bound);
    if (banded !== (full <= bound ? full : undefined))
      disagreements.push(`${a} ~ ${b} within ${bound}: ${banded}, full ${full}`);
  }
  t.same(disagreements, []);
});

/**
 * A Docker Hub library/node-sized list (~10,000 tags), deterministic: full versions with distro suffixes, the
 * major and minor aliases, LTS code names and lts-/current- aliases.
 */
function nodeLikeTags(): string[] {
  const distros = [
    '',
    '-alpine',
    '-alpine3.18',
    '-alpine3.19',
    '-bookworm',
    '-bookworm-slim',
    '-bullseye',
    '-bullseye-slim',
    '-slim',
    '-buster',
  ];
  const codenames: Record<number, string> = {
    4: 'argon',
    6: 'boron',
    8: 'carbon',
    10: 'dubnium',
    12: 'erbium',
    14: 'fermium',
    16: 'gallium',
    18: 'hydrogen',
    20: 'iron',
  };
  const tags: string[] = [];
  for (let major = 4; major <= 21; major++) {
    for (const d of distros) {
      tags.push(`${major}${d}`);
      if (codenames[major]) tags.push(`${codenames[major]}${d}`);
    }
    for (let minor = 0; minor <= 9 - (major % 3); minor++) {
      for (const d of distros) tags.push(`${major}.${minor}${d}`);
      for (let patch = 0; patch <= 3 + (minor % 3); patch++)
        for (const d of distros) tags.push(`${major}.${minor}.${patch}${d}`);
    }
  }
  for (const d of distros) tags.push(`lts${d}`, `current${d}`, `latest${d}`.replace('latest-', ''));
  return tags;
}

t.test('a node-sized list of ~10,000 real-looking tags still gets the right suggestions', async (t) => {
  const tags = nodeLikeTags();
  t.ok(tags.length > 9000 && tags.length < 12_000, `${tags.length} tags`);
  const cases: [wanted: string, first: string][] = [
    ['20.7.l-alpine', '20.7.4-alpine'], // a letter for a digit: every 20.7.x-alpine is 1 away, the newest first
    ['20.7.1-alpnie3.19', '20.7.1-alpine3.19'],
    ['18.9.0-bookworm-slimm', '18.9.0-bookworm-slim'],
    ['hydrogen-alpin', 'hydrogen-alpine'],
    ['iron-bookwrm', 'iron-bookworm'],
    [`20.7.1-alpine3.19-with-a-suffix-pasted-by-mistake-${'x'.repeat(70)}`, '20.7.1-alpine3.19'], // 128 characters
  ];
  for (const [wanted, first] of cases) {
    const got = suggestTags(wanted, tags);
    t.equal(got[0], first, `${wanted}: ${got.join(', ')}`);
    // Exhaustive reference: the three suggestions are at the three smallest distances of the whole list.
    const distances = tags
      .filter((tag) => tag !== wanted)
      .map((tag) => editDistance(wanted, tag) as number)
      .sort((a, b) => a - b);
    t.same(
      got.slice(0, 3).map((tag) => editDistance(wanted, tag)),
      distances.slice(0, 3),
      `${wanted}: the closest three`,
    );
    t.equal(got.length, 4, `${wanted}: four suggestions`);
    t.equal(got[3], newestVersion(tags), `${wanted}: the newest version comes last`);
  }
});

t.test('tags longer than the reference grammar allows are never ranked nor suggested', async (t) => {
  const long = `1.2.3-${'x'.repeat(MAX_TAG_LENGTH)}`;
  t.same(suggestTags('1.2.3-x', [long, '1.2.3', '9.9.9']), ['1.2.3', '9.9.9']);
  t.same(
    suggestTags('x'.repeat(MAX_TAG_LENGTH + 1), ['1.2.3', 'latest']),
    ['1.2.3'],
    'an over-long wanted tag gets the newest version only',
  );
});

t.test('a hostile list: 10,000 tags of 128 characters against a 128-character typo stays bounded', async (t) => {
  const random = randomInts(11);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789.-_';
  const wanted = Array.from({ length: MAX_TAG_LENGTH }, (_, i) => alphabet[i % alphabet.length]).join('');
  // Anagrams of the wanted tag: no cheap bound tells them apart, every one needs the full table.
  const tags = Array.from({ length: 10_000 }, () => {
    const letters = wanted.split('');
    for (let i = letters.length - 1; i > 0; i--) {
      const j = random(i + 1);
      [letters[i], letters[j]] = [letters[j] as string, letters[i] as string];
    }
    return letters.join('');
  });
  const got = suggestTags(wanted, tags);
  t.ok(got.length >= 3, `still three suggestions, the best found within the budget: ${got.length}`);
  t.ok(
    got.every((tag) => tags.includes(tag)),
    'each one from the list',
  );
});

t.test('only the first MAX_CANDIDATE_TAGS tags of a longer list are ranked', async (t) => {
  const filler = Array.from({ length: MAX_CANDIDATE_TAGS }, (_, i) => `filler-${i}`);
  t.same(
    suggestTags('1.2.4', [...filler, '1.2.3'])
      .slice(0, 3)
      .includes('1.2.3'),
    false,
  );
  t.same(suggestTags('1.2.4', ['1.2.3', ...filler])[0], '1.2.3');
});
