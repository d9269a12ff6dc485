import t from 'tap';
import { editDistance, newestVersion, suggestTags } from './tag-suggestions.js';

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
  t.same(suggestTags('1.99.9', tags), ['1.29.3', '1.29', '1.28.0', '2.0.0'], 'the example of SPEC §2.1');
  t.same(suggestTags('1.99.9', [...tags].reverse()), ['1.29.3', '1.29', '1.28.0', '2.0.0'], 'listing order does not matter');
  t.same(suggestTags('lates', tags), ['latest', '1.29', 'alpine', '2.0.0'], 'on a tie a version comes first');
  t.same(suggestTags('x', []), []);
  t.same(suggestTags('v1', ['v1']), [], 'the wanted tag itself is never suggested');
});

t.test('10,000 tags are ranked quickly', async (t) => {
  const tags = Array.from({ length: 10_000 }, (_, i) => `build-${i}-${'x'.repeat(i % 50)}`);
  const started = performance.now();
  const got = suggestTags('build-42-xy', tags);
  const elapsed = performance.now() - started;
  const best = Math.min(...tags.map((tag) => editDistance('build-42-xy', tag) as number));
  t.equal(editDistance('build-42-xy', got[0] as string), best, 'the first suggestion is a closest tag');
  t.ok(elapsed < 1000, `ranked in ${elapsed.toFixed(0)} ms`);
});
