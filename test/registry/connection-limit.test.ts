import t from 'tap';
import { sendConcurrently } from '../helpers/concurrent-requests.js';

t.test('by default, a burst of 50 requests to one registry is in flight at once, not queued', async (t) => {
  // No `concurrency` on the entry and no `network.concurrencyPerRegistry`: the default applies.
  const { responses, peak } = await sendConcurrently(t, { count: 50, method: 'HEAD', holdMs: 100, body: '{}' });
  t.ok(responses.every((r) => r.status === 200));
  t.equal(peak, 50, 'every request reached the registry before the first answer');
});

t.test('GETs, whose bodies may be 4 MiB each, are at most 16 in flight per registry all the same', async (t) => {
  const body = '{"schemaVersion":2}';
  const { responses, peak } = await sendConcurrently(t, { count: 50, method: 'GET', holdMs: 50, body });
  t.ok(responses.every((r) => r.status === 200 && r.body?.toString() === body));
  t.equal(peak, 16);
});
