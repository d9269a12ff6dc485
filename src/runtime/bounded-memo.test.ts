import t from 'tap';
import { boundedMemo } from './bounded-memo.js';

t.test('computes once per key and returns the same object', async (t) => {
  let calls = 0;
  const memo = boundedMemo((key: string) => ({ key, n: ++calls }), 10);
  const first = memo('a');
  t.equal(memo('a'), first);
  t.equal(calls, 1);
  t.not(memo('b'), first);
  t.equal(calls, 2);
});

t.test('holds at most `limit` entries, dropping the oldest', async (t) => {
  let calls = 0;
  const memo = boundedMemo((key: string) => ({ key, n: ++calls }), 2);
  memo('a');
  memo('b');
  memo('c'); // evicts a
  t.equal(calls, 3);
  memo('b');
  memo('c');
  t.equal(calls, 3, 'b and c still remembered');
  memo('a');
  t.equal(calls, 4, 'a was forgotten');
});

t.test('long keys are never remembered', async (t) => {
  let calls = 0;
  const memo = boundedMemo((key: string) => ({ key, n: ++calls }), 10, 8);
  const long = 'x'.repeat(9);
  t.not(memo(long), memo(long));
  t.equal(calls, 2);
});
