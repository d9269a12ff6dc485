import t from 'tap';
import { cutUtf8, eventRecorder } from './event-recorder.js';
import type { KubeAnswer, KubeRequest } from './kube-request.js';

const target = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: 'shop' });

/** Answers every POST and PATCH with success; records `METHOD path`. */
function fakeRequest(answer: (method: string) => KubeAnswer = () => ({ status: 'ok', value: {} })) {
  const seen: string[] = [];
  const request: KubeRequest = (method, path) => {
    seen.push(`${method} ${path}`);
    return Promise.resolve(answer(method));
  };
  return { request, seen };
}

t.test('cutUtf8 keeps whole characters within the byte limit', async (t) => {
  t.equal(cutUtf8('abc', 3), 'abc');
  t.equal(cutUtf8('abcd', 3), 'abc');
  t.equal(cutUtf8('aé', 2), 'a', 'é is two bytes: not split');
  t.equal(cutUtf8('a€b', 3), 'a', '€ is three bytes');
  t.equal(cutUtf8('a€b', 4), 'a€');
  t.equal(Buffer.byteLength(cutUtf8('😀'.repeat(400), 1024)), 1024);
});

t.test('the LRU forgets the oldest key past maxKeys: that object gets a new Event', async (t) => {
  const { request, seen } = fakeRequest();
  const recorder = eventRecorder(request, { maxKeys: 2, now: () => 0 });
  for (const name of ['a', 'b', 'c'])
    t.match(await recorder.warn(target(name), 'ImageUnavailable', 'm'), { status: 'created' });
  t.match(await recorder.warn(target('c'), 'ImageUnavailable', 'm'), { status: 'updated', count: 2 });
  t.match(await recorder.warn(target('b'), 'ImageUnavailable', 'm'), { status: 'updated', count: 2 });
  t.match(await recorder.warn(target('a'), 'ImageUnavailable', 'm'), { status: 'created' }, 'a was evicted');
  t.same(
    seen.map((s) => s.split(' ')[0]),
    ['POST', 'POST', 'POST', 'PATCH', 'PATCH', 'POST'],
  );
});

t.test('bad input is an invalid outcome without a request', async (t) => {
  const { request, seen } = fakeRequest();
  const recorder = eventRecorder(request, {});
  t.match(await recorder.warn(target('a/b'), 'ImageUnavailable', 'm'), { status: 'error', kind: 'invalid' });
  t.match(await recorder.warn({ ...target('a'), namespace: '..' }, 'ImageUnavailable', 'm'), { status: 'error' });
  t.match(await recorder.warn({ ...target('a'), kind: '' }, 'ImageUnavailable', 'm'), { status: 'error' });
  t.match(await recorder.warn(target('a'), 'image unavailable', 'm'), { status: 'error', detail: /reason/ });
  t.same(seen, []);
});

t.test('a failed create is reported and not remembered; an Event made elsewhere is counted on', async (t) => {
  let answers: KubeAnswer[] = [{ status: 'error', kind: 'forbidden', detail: 'HTTP 403' }];
  const { request, seen } = fakeRequest(() => answers.shift() ?? { status: 'ok', value: {} });
  const recorder = eventRecorder(request, {});
  t.same(await recorder.warn(target('a'), 'ImageUnavailable', 'm'), {
    status: 'error',
    kind: 'forbidden',
    detail: 'HTTP 403',
  });
  t.match(await recorder.warn(target('a'), 'ImageUnavailable', 'm'), { status: 'created' }, 'created, not patched');
  // Another process (the previous audit leader) made this Event: the create meets it, reads its count, counts on.
  answers = [{ status: 'conflict' }, { status: 'ok', value: { count: 3 } }, { status: 'ok', value: {} }];
  t.match(await recorder.warn(target('b'), 'ImageUnavailable', 'm'), { status: 'updated', count: 4 });
  t.match(seen.slice(-3), [/^POST /, /^GET .*\/events\/b\.[0-9a-f]{16}$/, /^PATCH .*\/events\/b\.[0-9a-f]{16}$/]);
  answers = [{ status: 'conflict' }, { status: 'error', kind: 'forbidden', detail: 'HTTP 403' }];
  t.match(await recorder.warn(target('c'), 'ImageUnavailable', 'm'), { status: 'error', detail: 'HTTP 403' });
  t.equal(seen.filter((s) => s.startsWith('POST')).length, 4);
});
