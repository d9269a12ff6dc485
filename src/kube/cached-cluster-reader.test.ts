import t from 'tap';
import type { ClusterReader, ReadResult, SecretData } from '../credentials/cluster-port.js';
import { createCachedClusterReader } from './cached-cluster-reader.js';

const SECRET: SecretData = { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': 'e30=' } };

/** An in-memory inner reader whose answers the test scripts, counting calls and keeping their signals. */
function scriptedReader(answer: (name: string) => ReadResult<SecretData> | 'pending') {
  const calls: { name: string; signal: AbortSignal }[] = [];
  const pending: ((result: ReadResult<SecretData>) => void)[] = [];
  const reader: ClusterReader = {
    getSecret: async (_ns, name, signal) => {
      calls.push({ name, signal });
      const result = answer(name);
      if (result !== 'pending') return result;
      return new Promise((resolve) => pending.push(resolve));
    },
    getServiceAccount: async () => ({ status: 'found', value: { imagePullSecrets: [], annotationKeys: [] } }),
    getNamespaceLabels: async () => ({ status: 'not-found' }),
  };
  return { reader, calls, release: (result: ReadResult<SecretData>) => pending.splice(0).forEach((r) => r(result)) };
}

const never = () => new AbortController().signal;

t.test('found and not-found results are reused until the TTL passes', async (t) => {
  let now = 0;
  const inner = scriptedReader((name) =>
    name === 'here' ? { status: 'found', value: SECRET } : { status: 'not-found' },
  );
  const cached = createCachedClusterReader(inner.reader, { ttlMs: 30_000, now: () => now });
  t.same(await cached.getSecret('ns', 'here', never()), { status: 'found', value: SECRET });
  t.same(await cached.getSecret('ns', 'gone', never()), { status: 'not-found' });
  now = 29_999;
  await cached.getSecret('ns', 'here', never());
  await cached.getSecret('ns', 'gone', never());
  t.equal(inner.calls.length, 2, 'within the TTL: no new reads');
  now = 30_001;
  await cached.getSecret('ns', 'here', never());
  t.equal(inner.calls.length, 3, 'after the TTL: read again');
});

t.test('keys are per namespace', async (t) => {
  const inner = scriptedReader(() => ({ status: 'found', value: SECRET }));
  const cached = createCachedClusterReader(inner.reader);
  await cached.getSecret('a', 'regcred', never());
  await cached.getSecret('b', 'regcred', never());
  t.equal(inner.calls.length, 2);
});

t.test('errors are never cached', async (t) => {
  let fail = true;
  const inner = scriptedReader(() =>
    fail ? { status: 'error', kind: 'unavailable', detail: 'HTTP 500' } : { status: 'found', value: SECRET },
  );
  const cached = createCachedClusterReader(inner.reader);
  t.match(await cached.getSecret('ns', 's', never()), { status: 'error', kind: 'unavailable' });
  fail = false;
  t.match(await cached.getSecret('ns', 's', never()), { status: 'found' });
  t.equal(inner.calls.length, 2);
});

t.test('concurrent misses share one read', async (t) => {
  const inner = scriptedReader(() => 'pending');
  const cached = createCachedClusterReader(inner.reader);
  const reads = Array.from({ length: 50 }, () => cached.getSecret('ns', 's', never()));
  await new Promise((resolve) => setImmediate(resolve));
  inner.release({ status: 'found', value: SECRET });
  const results = await Promise.all(reads);
  t.equal(inner.calls.length, 1);
  t.ok(results.every((r) => r.status === 'found'));
});

t.test("one caller's deadline answers it with a timeout but does not cancel the read for the others", async (t) => {
  const inner = scriptedReader(() => 'pending');
  const cached = createCachedClusterReader(inner.reader);
  const impatient = new AbortController();
  const first = cached.getSecret('ns', 's', impatient.signal);
  const second = cached.getSecret('ns', 's', never());
  impatient.abort();
  t.same(await first, { status: 'error', kind: 'timeout', detail: 'deadline reached' });
  t.equal(inner.calls[0]?.signal.aborted, false, 'the shared read goes on');
  inner.release({ status: 'found', value: SECRET });
  t.match(await second, { status: 'found' });
});

t.test('when every caller gives up, the shared read is aborted and not cached', async (t) => {
  const inner = scriptedReader(() => 'pending');
  const cached = createCachedClusterReader(inner.reader);
  const a = new AbortController();
  const b = new AbortController();
  const reads = [cached.getSecret('ns', 's', a.signal), cached.getSecret('ns', 's', b.signal)];
  a.abort();
  b.abort();
  await Promise.all(reads);
  t.equal(inner.calls[0]?.signal.aborted, true);
  inner.release({ status: 'found', value: SECRET });
  const next = cached.getSecret('ns', 's', never());
  t.equal(inner.calls.length, 2, 'the next caller starts a fresh read');
  inner.release({ status: 'not-found' });
  t.same(await next, { status: 'not-found' });
});

t.test('an already-aborted signal answers timeout without reading', async (t) => {
  const inner = scriptedReader(() => ({ status: 'found', value: SECRET }));
  const cached = createCachedClusterReader(inner.reader);
  t.same(await cached.getSecret('ns', 's', AbortSignal.abort()), {
    status: 'error',
    kind: 'timeout',
    detail: 'deadline reached',
  });
  t.equal(inner.calls.length, 0);
});
