import t from 'tap';
import { jsonStructure } from './json-tokens.js';

t.test('counts { [ , : outside strings', async (t) => {
  t.same(jsonStructure('1', 10), { tokens: 0, scanned: 1 });
  t.same(jsonStructure('{"a":1,"b":[1,2]}', 100), { tokens: 6, scanned: 17 });
  t.same(jsonStructure(Buffer.from('["{[,:", "\\"{[,:"]'), 100).tokens, 2, 'strings and escaped quotes skipped');
  t.equal(jsonStructure('["ä中🐳,", {}]', 100).tokens, 3);
});

t.test('stops once past the limit and says how far it read', async (t) => {
  const flat = `[${'{},'.repeat(1_000_000)}{}]`;
  const result = jsonStructure(flat, 1000);
  t.equal(result.tokens, 1001);
  t.ok(result.scanned < 2000, `read ${result.scanned} characters of ${flat.length}`);
  t.equal(jsonStructure(Buffer.from(flat), 1000).scanned, result.scanned, 'Buffer and string agree');
  t.same(
    jsonStructure(flat, 5_000_000),
    { tokens: 2_000_002, scanned: flat.length },
    'a limit above the count reads all',
  );
});

t.test('an unterminated string ends the count', async (t) => {
  t.same(jsonStructure('[1,"abc', 10), { tokens: 2, scanned: 7 });
});
