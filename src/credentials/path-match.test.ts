import t from 'tap';
import { compilePathPattern, matchCompiled, pathMatch, pathMatchResult, type MatchResult } from './path-match.js';

// Go's src/path/match_test.go table, verbatim (pattern, name, answer).
const GO_MATCH_TESTS: readonly [string, string, MatchResult][] = [
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ab/c', false],
  ['a*/b', 'abc/b', true],
  ['a*/b', 'a/c/b', false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false],
  ['ab[c]', 'abc', true],
  ['ab[b-d]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^b-d]', 'abc', false],
  ['ab[^e-g]', 'abc', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'ab', false],
  ['a?b', 'a☺b', true],
  ['a[^a]b', 'a☺b', true],
  ['a???b', 'a☺b', false],
  ['a[^a][^a][^a]b', 'a☺b', false],
  ['[a-ζ]*', 'α', true],
  ['*[a-ζ]', 'A', false],
  ['a?b', 'a/b', false],
  ['a*b', 'a/b', false],
  ['[\\]a]', ']', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'x', true],
  ['[x\\-]', '-', true],
  ['[x\\-]', 'z', false],
  ['[\\-x]', 'x', true],
  ['[\\-x]', '-', true],
  ['[\\-x]', 'a', false],
  ['[]a]', ']', 'bad-pattern'],
  ['[-]', '-', 'bad-pattern'],
  ['[x-]', 'x', 'bad-pattern'],
  ['[x-]', '-', 'bad-pattern'],
  ['[x-]', 'z', 'bad-pattern'],
  ['[-x]', 'x', 'bad-pattern'],
  ['[-x]', '-', 'bad-pattern'],
  ['[-x]', 'a', 'bad-pattern'],
  ['\\', 'a', 'bad-pattern'],
  ['[a-b-c]', 'a', 'bad-pattern'],
  ['[', 'a', 'bad-pattern'],
  ['[^', 'a', 'bad-pattern'],
  ['[^bc', 'a', 'bad-pattern'],
  ['a[', 'a', 'bad-pattern'],
  ['a[', 'ab', 'bad-pattern'],
  ['a[', 'x', 'bad-pattern'],
  ['a/b[', 'x', 'bad-pattern'],
  ['*x', 'xxx', true],
];

t.test('matches like Go path.Match (the Go test table)', async (t) => {
  for (const [pattern, name, want] of GO_MATCH_TESTS) {
    t.equal(pathMatchResult(pattern, name), want, `Match(${JSON.stringify(pattern)}, ${JSON.stringify(name)})`);
  }
});

t.test('a malformed pattern never matches', async (t) => {
  t.equal(pathMatch('[', '['), false);
  t.equal(pathMatch('a[', 'a'), false);
});

t.test('host-label globs as the keyring uses them', async (t) => {
  t.equal(pathMatch('*', 'eu-west-1'), true);
  t.equal(pathMatch('REGISTRY', 'registry'), false, 'case-sensitive');
  t.equal(pathMatch('reg?stry', 'registry'), true);
  t.equal(pathMatch('*-docker', 'europe-docker'), true);
});

t.test('matching never copies the rest of the name: a star before a missing character is linear', async (t) => {
  // The old port sliced the remaining name at every position a star tried: O(n²), about 14 s for 40,000 characters
  // (issue 13). Here each of these would take minutes that way; the test's timeout is the assertion.
  const long = 'a'.repeat(1_000_000);
  t.equal(pathMatchResult('*b', long), false);
  t.equal(pathMatchResult('*a*b', long), false);
  t.equal(pathMatchResult('*a', long), true);
  t.equal(pathMatchResult('a*a*a', long), true);
  t.equal(pathMatchResult('*?b', long), false);
  t.equal(pathMatchResult('*[a-b]b', long), false);
});

t.test('a compiled pattern answers like the pattern text, for many names', async (t) => {
  const compiled = compilePathPattern('reg[0-9]*-?');
  t.same(
    ['reg1-x', 'reg1abc-y', 'regx-y', 'reg1-', 'reg9-/'].map((name) => matchCompiled(compiled, name)),
    [true, true, false, false, false],
  );
  t.equal(compilePathPattern('a[b'), 'bad-pattern', 'malformed whatever the name');
  t.equal(matchCompiled(compilePathPattern('a[b'), ''), 'bad-pattern');
  t.equal(pathMatchResult('', ''), true);
  t.equal(pathMatchResult('', 'a'), false);
  t.equal(pathMatchResult('**', 'abc'), true, 'consecutive stars are one');
  t.equal(pathMatchResult('a[*]b', 'a*b'), true, 'a star inside a class is literal');
  t.equal(pathMatchResult('*[', 'abc'), 'bad-pattern', 'a malformed chunk after a star');
  t.equal(pathMatchResult('x*[', 'abc'), 'bad-pattern', 'reported even when an earlier chunk already failed');
  t.equal(pathMatchResult('a[^x]b', 'a/b'), true, 'a class may match a slash, as in Go');
});
