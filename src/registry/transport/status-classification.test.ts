import t from 'tap';
import { rateLimited, retryAfterSeconds, unexpectedStatus } from './status-classification.js';

t.test('Retry-After as seconds or an HTTP date', async (t) => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  t.equal(retryAfterSeconds('60', now), 60);
  t.equal(retryAfterSeconds(' 0 ', now), 0);
  t.equal(retryAfterSeconds('Thu, 01 Jan 2026 00:02:00 GMT', now), 120);
  t.equal(retryAfterSeconds('Wed, 31 Dec 2025 00:00:00 GMT', now), 0, 'a past date means now');
  t.equal(retryAfterSeconds('soon', now), undefined);
  t.equal(retryAfterSeconds(undefined, now), undefined);
});

t.test("rate limits keep Docker Hub's remaining header as numbers, and nothing of any other shape", async (t) => {
  t.same(rateLimited({ 'ratelimit-remaining': '0;w=21600', 'retry-after': '60' }), {
    outcome: 'rate-limited',
    remaining: 0,
    windowSeconds: 21600,
    retryAfterSeconds: 60,
  });
  t.same(rateLimited({ 'ratelimit-remaining': ' 76 ' }), { outcome: 'rate-limited', remaining: 76 });
  t.same(rateLimited({ 'ratelimit-remaining': '<script>' }), { outcome: 'rate-limited' });
  t.same(rateLimited({}), { outcome: 'rate-limited' });
  // A registry that reflects the Authorization header: the base64 of user:password once passed the old filter.
  const reflected = Buffer.from('alice:s3cret-password').toString('base64');
  for (const value of [
    reflected,
    `Basic ${reflected}`,
    `0;w=${reflected}`,
    `${reflected};w=21600`,
    '0;w=1;x=2',
    '1e9',
    '-1',
  ]) {
    t.same(rateLimited({ 'ratelimit-remaining': value, 'retry-after': value }), { outcome: 'rate-limited' }, value);
  }
});

t.test('Retry-After is bounded and only an HTTP date or seconds', async (t) => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  t.equal(retryAfterSeconds('999999999', now), 365 * 24 * 3600);
  t.equal(retryAfterSeconds('Fri, 01 Jan 9999 00:00:00 GMT', now), 365 * 24 * 3600);
  t.equal(retryAfterSeconds('Sunday, 06-Nov-94 08:49:37 GMT', now), 0, 'the obsolete RFC 850 form');
  t.equal(retryAfterSeconds('2026-01-01T00:01:00Z', now), undefined, 'ISO dates are not HTTP dates');
});

t.test('unexpected statuses', async (t) => {
  t.same(unexpectedStatus(503, 'registry'), {
    outcome: 'unreachable',
    cause: 'server-error',
    detail: 'registry answered HTTP 503',
    status: 503,
  });
  t.same(unexpectedStatus(418, 'registry'), {
    outcome: 'unreachable',
    cause: 'protocol',
    detail: 'registry answered unexpected HTTP 418',
    status: 418,
  });
});
