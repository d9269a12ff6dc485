import t from 'tap';
import { clip, errorSummary, scrubbed } from './bounded-text.js';

t.test('clip cuts long text and says so, without splitting a surrogate pair', async (t) => {
  t.equal(clip('short', 10), 'short');
  t.equal(clip(undefined, 10), undefined);
  t.equal(clip('x'.repeat(6_000_000), 63), `${'x'.repeat(63)}…`);
  const whales = clip('🐳'.repeat(10), 5);
  t.equal(whales, `${'🐳'.repeat(2)}…`, 'the half whale is dropped');
  t.doesNotThrow(() => new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(whales)));
});

t.test('scrubbed removes credentials a message may quote', async (t) => {
  const text = scrubbed(
    'GET https://alice:hunter2@registry.example.com/v2/ with Authorization: Bearer eyJabc.def and Basic YWxpY2U6aHVudGVyMg== token=s3cr3t password: "pw1"',
  );
  for (const secret of ['hunter2', 'eyJabc', 'YWxpY2U6aHVudGVyMg', 's3cr3t', 'pw1']) t.notMatch(text, secret, secret);
  t.match(text, 'registry.example.com', 'the rest stays readable');
});

t.test('errorSummary: type, bounded scrubbed message, frames only', async (t) => {
  const huge = new TypeError(`${'line\n'.repeat(1_000_000)}Bearer abc.def`);
  const summary = errorSummary(huge);
  t.equal(summary.type, 'TypeError');
  t.ok(summary.message.length <= 513);
  t.match(summary.stack, /^at /);
  t.notMatch(summary.stack ?? '', /line/, 'the message is not repeated through the stack');
  t.ok(JSON.stringify(summary).length < 4096, `${JSON.stringify(summary).length} bytes`);
  const withCause = Object.assign(new Error('outer', { cause: new Error('password=inner') }), {
    config: { auth: 'x' },
  });
  t.notMatch(JSON.stringify(errorSummary(withCause)), /inner|auth/, 'no cause, no extra properties');
  t.same(errorSummary('Bearer abc'), { type: 'string', message: 'Bearer [redacted]' });
  t.same(errorSummary({ toString: () => 'x'.repeat(1e6) }), { type: 'object', message: 'object' });
});
