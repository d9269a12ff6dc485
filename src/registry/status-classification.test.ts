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

t.test('rate limits keep Docker Hub\'s remaining header only when it looks like one', async (t) => {
  t.same(rateLimited({ 'ratelimit-remaining': '0;w=21600', 'retry-after': '60' }), {
    outcome: 'rate-limited',
    remaining: '0;w=21600',
    retryAfterSeconds: 60,
  });
  t.same(rateLimited({ 'ratelimit-remaining': '<script>' }), { outcome: 'rate-limited' });
  t.same(rateLimited({}), { outcome: 'rate-limited' });
});

t.test('unexpected statuses', async (t) => {
  t.same(unexpectedStatus(503, 'registry'), { outcome: 'unreachable', cause: 'server-error', detail: 'registry answered HTTP 503', status: 503 });
  t.same(unexpectedStatus(418, 'registry'), { outcome: 'unreachable', cause: 'protocol', detail: 'registry answered unexpected HTTP 418', status: 418 });
});
