import t from 'tap';
import { jsonDepthExceeds } from './json-depth.js';

/** The depth JSON.parse builds, walked on the parsed value (reference for the scan). */
function parsedDepth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(parsedDepth));
}

const both = (json: string, maxDepth: number): [boolean, boolean] => [jsonDepthExceeds(json, maxDepth), jsonDepthExceeds(Buffer.from(json), maxDepth)];

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
