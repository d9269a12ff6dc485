import t from 'tap';
import { parseReviewBody } from './parse-review-body.js';
import { MAX_REVIEW_DEPTH, MAX_REVIEW_TOKENS, SMALL_REVIEW_BYTES } from './review-limits.js';

const parse = (text: string) => parseReviewBody(Buffer.from(text, 'utf8'));

t.test('JSON within the limits parses, with its token count', async (t) => {
  t.same(
    parse('{"a":[1,2]}'),
    { ok: true, value: { a: [1, 2] }, tokens: 11 },
    'an ordinary review: its size bounds its tokens',
  );
  const large = JSON.stringify({ a: 'x'.repeat(SMALL_REVIEW_BYTES), b: [1, 2] });
  t.same(parse(large), { ok: true, value: JSON.parse(large), tokens: 6 }, 'a large one is counted: { : , : [ ,');
  t.match(parse(`${'['.repeat(MAX_REVIEW_DEPTH)}${']'.repeat(MAX_REVIEW_DEPTH)}`), { ok: true });
  t.match(
    parse(`[${'0,'.repeat(MAX_REVIEW_TOKENS - 1)}0]`),
    { ok: true, tokens: MAX_REVIEW_TOKENS },
    '[ and the commas: exactly the limit',
  );
});

t.test('too deep: TOO_DEEP before JSON.parse, also when the body has too many tokens as well', async (t) => {
  t.match(parse(`${'['.repeat(MAX_REVIEW_DEPTH + 1)}${']'.repeat(MAX_REVIEW_DEPTH + 1)}`), {
    ok: false,
    code: 'TOO_DEEP',
    message: /more than 1000 levels/,
  });
  // 7 MB of nesting, as in the report: refused as deep, not as merely large.
  t.match(parse(`${'{"a":'.repeat(700_000)}1${'}'.repeat(700_000)}`), { ok: false, code: 'TOO_DEEP' });
  t.match(parse(`{"x":"${'['.repeat(5000)}"}`), { ok: true }, 'brackets in strings are text');
  const deepLarge = `{"pad":"${'x'.repeat(SMALL_REVIEW_BYTES)}","a":${'['.repeat(MAX_REVIEW_DEPTH + 1)}${']'.repeat(MAX_REVIEW_DEPTH + 1)}}`;
  t.match(parse(deepLarge), { ok: false, code: 'TOO_DEEP' }, 'over the ordinary size too');
});

t.test('too much structure: TOO_COMPLEX before JSON.parse', async (t) => {
  t.match(parse(`[${'0,'.repeat(MAX_REVIEW_TOKENS)}0]`), {
    ok: false,
    code: 'TOO_COMPLEX',
    message: /more than 500000/,
  });
  t.match(parse(`[${'{},'.repeat(3_000_000)}{}]`), { ok: false, code: 'TOO_COMPLEX' });
});

t.test('not JSON: INVALID_JSON with the position, never the content', async (t) => {
  const result = parse('{"secret-looking": tru}');
  t.match(result, { ok: false, code: 'INVALID_JSON', message: /^body is not valid JSON/ });
  t.notMatch(result.ok ? '' : result.message, /secret/);
  t.match(parse(''), { ok: false, code: 'INVALID_JSON' });
});
