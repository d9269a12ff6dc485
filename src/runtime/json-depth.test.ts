import t from 'tap';
import { jsonDepthExceeds } from './json-depth.js';

/** Both forms the scanner takes must agree. */
function exceeds(text: string, max: number): boolean {
  const asString = jsonDepthExceeds(text, max);
  const asBuffer = jsonDepthExceeds(Buffer.from(text, 'utf8'), max);
  if (asString !== asBuffer) throw new Error(`string and Buffer disagree on ${JSON.stringify(text.slice(0, 40))}`);
  return asString;
}

t.test('counts nesting of objects and arrays, the outermost as 1', async (t) => {
  t.equal(exceeds('1', 0), false, 'a scalar has depth 0');
  t.equal(exceeds('[]', 0), true);
  t.equal(exceeds('[]', 1), false);
  t.equal(exceeds('{"a":[{"b":[]}]}', 3), true);
  t.equal(exceeds('{"a":[{"b":[]}]}', 4), false);
  t.equal(exceeds('[[],[],[],[]]', 2), false, 'siblings do not add up');
  t.equal(exceeds(`${'['.repeat(1000)}${']'.repeat(1000)}`, 1000), false);
  t.equal(exceeds(`${'['.repeat(1001)}${']'.repeat(1001)}`, 1000), true);
});

t.test('brackets inside strings do not count, escaped quotes do not end a string', async (t) => {
  t.equal(exceeds(`["${'['.repeat(5000)}"]`, 1), false);
  t.equal(exceeds(`{"${'{'.repeat(50)}":"${'}'.repeat(50)}"}`, 1), false, 'keys and values alike');
  t.equal(exceeds(`["\\"${'['.repeat(10)}"]`, 1), false, '\\" stays inside the string');
  t.equal(exceeds(`["\\\\",${'['.repeat(10)}${']'.repeat(10)}]`, 5), true, '\\\\ ends with the backslash; the quote after it closes');
  t.equal(exceeds(`["\\\\\\"[[[[[["]`, 1), false, 'an odd run of backslashes escapes the quote');
  t.equal(exceeds(`["\\u005b\\u005b", [[]]]`, 2), true, 'escapes are not brackets; real ones after them are');
  t.equal(exceeds('["[ä中🐳[", [[]]]', 3), false, 'multi-byte characters do not confuse the byte scan');
  t.equal(exceeds('["[ä中🐳[", [[[]]]]', 3), true);
});

t.test('malformed input: no crash, no negative depth, an unterminated string ends the scan', async (t) => {
  t.equal(exceeds(`${']'.repeat(100)}[[[`, 2), true, 'stray closers do not bank depth');
  t.equal(exceeds(`["${'['.repeat(100)}`, 1), false);
  t.equal(exceeds('', 0), false);
  t.equal(exceeds('"\\', 0), false);
});

t.test('linear on pathological strings: long backslash runs and millions of escaped quotes', async (t) => {
  // A quadratic scan would take minutes here; these finish in well under a second each.
  const runs = `["${'\\\\'.repeat(500_000)}", [[]]]`;
  t.equal(exceeds(runs, 2), true);
  const quotes = `["${'\\"'.repeat(2_000_000)}", [[]]]`;
  t.equal(exceeds(quotes, 2), true);
  const deep = Buffer.from(`${'['.repeat(3_000_000)}${']'.repeat(3_000_000)}`);
  t.equal(jsonDepthExceeds(deep, 1000), true, 'stops at the first level past the limit');
});
