import t from 'tap';
import { jsonDepthExceeds } from './json-depth.js';

/** The depth JSON.parse builds, walked on the parsed value (reference for the scan). */
function parsedDepth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(parsedDepth));
}

const both = (json: string, maxDepth: number): [boolean, boolean] => [
  jsonDepthExceeds(json, maxDepth),
  jsonDepthExceeds(Buffer.from(json), maxDepth),
];

t.test('counts nested objects and arrays, on text and on UTF-8 bytes alike', async (t) => {
  const cases: [json: string, depth: number][] = [
    ['1', 0],
    ['"text"', 0],
    ['{}', 1],
    ['[]', 1],
    ['{"a":[1,2,{"b":null}]}', 3],
    ['[[],[],[[]]]', 3],
    ['{"manifests":[{"platform":{"os":"linux","os.features":["x"]}}]}', 5],
  ];
  for (const [json, depth] of cases) {
    t.equal(parsedDepth(JSON.parse(json)), depth, `${json}: reference depth`);
    t.same(both(json, depth), [false, false], `${json}: depth ${depth} is allowed at ${depth}`);
    if (depth > 0) t.same(both(json, depth - 1), [true, true], `${json}: exceeds ${depth - 1}`);
  }
});

t.test('brackets inside strings do not count, escaped quotes and backslashes included', async (t) => {
  const cases: [json: string, depth: number][] = [
    ['{"a":"[[[[[[[[[["}', 1],
    ['["\\"[[[[[[["]', 1], // an escaped quote does not end the string
    ['["\\\\",[[1]]]', 3], // an escaped backslash does not escape the closing quote
    ['{"k\\"{{{":"v\\\\\\"]]]]"}', 1],
    ['["é[ü{", ["日本[["]]', 2], // multi-byte characters next to brackets
    ['["\\u005b\\u005b", []]', 2],
  ];
  for (const [json, depth] of cases) {
    t.equal(parsedDepth(JSON.parse(json)), depth, `${json}: reference depth`);
    t.same(both(json, depth), [false, false], `${json}: ${depth} allowed`);
    t.same(both(json, depth - 1), [true, true], `${json}: exceeds ${depth - 1}`);
  }
});

t.test('stray closing brackets cannot buy depth back', async (t) => {
  t.same(both(']]]]]][[[[[[', 3), [true, true]);
  t.same(both('}}}}{{{{', 3), [true, true]);
});

t.test('an unterminated string hides what follows it, as it does from JSON.parse', async (t) => {
  const json = '"' + '['.repeat(1000);
  t.same(both(json, 1), [false, false]);
  t.throws(() => JSON.parse(json));
});

t.test('a million levels: rejected without parsing, in one linear pass', async (t) => {
  const levels = 1_000_000;
  const json = `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`;
  t.same(both(json, 64), [true, true]);
  t.same(both(json, levels + 1), [false, false], 'the scan counts every level');
  const wide = `[${'[1],'.repeat(levels)}[1]]`;
  t.same(both(wide, 2), [false, false], 'width is not depth');
});

t.test('agrees with JSON.parse on random documents full of quotes, backslashes and brackets in strings', async (t) => {
  let state = 12345;
  const random = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const text = () => Array.from({ length: random(12) }, () => '[]{}"\\\\ aé\n'[random(11)]).join('');
  const value = (depth: number): unknown => {
    const kind = depth > 6 ? 3 + random(2) : random(5);
    if (kind === 0) return Array.from({ length: random(4) }, () => value(depth + 1));
    if (kind === 1) return Object.fromEntries(Array.from({ length: random(4) }, () => [text(), value(depth + 1)]));
    if (kind === 2) return [value(depth + 1)];
    return kind === 3 ? text() : random(1000);
  };
  const wrong: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const json = JSON.stringify(value(0));
    const depth = parsedDepth(JSON.parse(json));
    const ok = both(json, depth).every((x) => !x) && (depth === 0 || both(json, depth - 1).every((x) => x));
    if (!ok) wrong.push(json);
  }
  t.same(wrong.slice(0, 3), [], `${wrong.length} of 3000 disagree`);
});

t.test('a hundred thousand escapes in one string stay linear', async (t) => {
  const json = `["${'\\\\'.repeat(100_000)}\\"${'['.repeat(1000)}", [[1]]]`;
  t.equal(parsedDepth(JSON.parse(json)), 3);
  t.same(both(json, 3), [false, false]);
  t.same(both(json, 2), [true, true]);
});

// Cases written for the AdmissionReview body check.

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
  t.equal(
    exceeds(`["\\\\",${'['.repeat(10)}${']'.repeat(10)}]`, 5),
    true,
    '\\\\ ends with the backslash; the quote after it closes',
  );
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
