/**
 * Malformed input over HTTP (docs/design.md §5.1, §7.2 R3): a 400 with `{error: {code, message}}` that says what is
 * wrong, a body past the 28 MiB limit included, and never a 500.
 */
import { once } from 'node:events';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { setTimeout } from 'node:timers/promises';
import t from 'tap';
import { MAX_REVIEW_BYTES, MAX_REVIEW_DEPTH } from '../../src/admission/review-limits.js';
import { admissionReview, POD_KIND } from '../helpers/admission-review.js';
import { webhookUnderTest } from '../helpers/webhook-under-test.js';

const MiB = 1024 * 1024;
const good = () =>
  admissionReview({
    kind: POD_KIND,
    uid: 'u-1',
    object: { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'example.com/a:1' }] } },
  });
const withRequest = (patch: Record<string, unknown>) => {
  const review = good();
  return JSON.stringify({ ...review, request: { ...review.request, ...patch } });
};

interface Case {
  readonly name: string;
  readonly body: string | Buffer;
  readonly contentType?: string;
  readonly status: number;
  readonly code: string;
  readonly message: RegExp;
}

const cases: Case[] = [
  {
    name: 'invalid JSON',
    body: '{"apiVersion": "admission.k8s.io/v1",',
    status: 400,
    code: 'INVALID_JSON',
    message: /^body is not valid JSON/,
  },
  {
    name: 'JSON with a trailing comma',
    body: '{"a": 1,}',
    status: 400,
    code: 'INVALID_JSON',
    message: /not valid JSON \(at byte \d+\)/,
  },
  { name: 'an empty body', body: '', status: 400, code: 'INVALID_JSON', message: /not valid JSON/ },
  { name: 'only whitespace', body: '  \n', status: 400, code: 'INVALID_JSON', message: /not valid JSON/ },
  { name: 'a JSON array', body: '[]', status: 400, code: 'INVALID_REVIEW', message: /must be a JSON object/ },
  { name: 'JSON null', body: 'null', status: 400, code: 'INVALID_REVIEW', message: /must be a JSON object/ },
  {
    name: 'a wrong content type with junk',
    body: 'uid=1',
    contentType: 'application/x-www-form-urlencoded',
    status: 400,
    code: 'INVALID_JSON',
    message: /not valid JSON/,
  },
  {
    name: 'v1beta1',
    body: JSON.stringify({ ...good(), apiVersion: 'admission.k8s.io/v1beta1' }),
    status: 400,
    code: 'INVALID_REVIEW',
    message: /unsupported apiVersion/,
  },
  { name: 'a missing uid', body: withRequest({ uid: undefined }), status: 400, code: 'INVALID_REVIEW', message: /uid/ },
  {
    name: 'a huge uid',
    body: withRequest({ uid: 'u'.repeat(MiB) }),
    status: 400,
    code: 'INVALID_REVIEW',
    message: /request\.uid must not have more than 256/,
  },
  {
    name: 'junk operation',
    body: withRequest({ operation: 'EXPLODE' }),
    status: 400,
    code: 'INVALID_REVIEW',
    message: /request\.operation must be "CREATE" or/,
  },
  {
    name: 'nesting at the depth limit',
    body: `${'['.repeat(MAX_REVIEW_DEPTH)}${']'.repeat(MAX_REVIEW_DEPTH)}`,
    status: 400,
    code: 'INVALID_REVIEW',
    message: /must be a JSON object/,
  },
  {
    name: 'deep nesting',
    body: `${'['.repeat(5000)}${']'.repeat(5000)}`,
    status: 400,
    code: 'TOO_DEEP',
    message: /more than 1000 levels deep/,
  },
  {
    name: 'invalid UTF-8',
    body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    status: 400,
    code: 'INVALID_REVIEW',
    message: /apiVersion/,
  },
  {
    name: 'a body 1 byte over the limit',
    body: JSON.stringify({ ...good(), padding: 'x'.repeat(MAX_REVIEW_BYTES) }).slice(0, MAX_REVIEW_BYTES + 1),
    status: 400,
    code: 'BODY_TOO_LARGE',
    message: /exceeds 29360128 bytes/,
  },
];

t.test('malformed bodies get a precise JSON error, never a 500', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  for (const c of cases) {
    const res = await hook.app.inject({
      method: 'POST',
      url: '/validate?timeout=10s',
      headers: { 'content-type': c.contentType ?? 'application/json' },
      payload: c.body,
    });
    t.equal(res.statusCode, c.status, `${c.name}: HTTP ${c.status}`);
    t.match(res.headers['content-type'], /^application\/json/, `${c.name}: JSON`);
    t.match(res.json(), { error: { code: c.code, message: c.message } }, `${c.name}: ${res.body.slice(0, 200)}`);
  }
});

t.test('a valid review is answered whatever content type it claims', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  for (const contentType of [
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/octet-stream',
  ]) {
    const res = await hook.app.inject({
      method: 'POST',
      url: '/validate',
      headers: { 'content-type': contentType },
      payload: JSON.stringify(good()),
    });
    t.equal(res.statusCode, 200, contentType);
    t.equal(res.json().response.uid, 'u-1');
  }
  const bare = await hook.app.inject({ method: 'POST', url: '/validate', payload: JSON.stringify(good()) });
  t.equal(bare.statusCode, 200, 'no content type at all');
});

t.test('a review just under the 7 MiB limit is answered', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  const review = good();
  const object = { ...(review.request['object'] as Record<string, unknown>), padding: 'x'.repeat(6 * MiB) };
  const res = await hook.app.inject({
    method: 'POST',
    url: '/validate',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ ...review, request: { ...review.request, object } }),
  });
  t.equal(res.statusCode, 200);
});

t.test('other routes and methods: a JSON 404', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  for (const [method, url] of [
    ['GET', '/validate'],
    ['POST', '/mutate'],
    ['PUT', '/validate'],
  ] as const) {
    const res = await hook.app.inject({ method, url });
    t.equal(res.statusCode, 404, `${method} ${url}`);
    t.match(res.json(), { error: { code: 'NOT_FOUND' } });
  }
});

t.test('an oversized body is read to its end before the 400, so a client still sending hears it', async (t) => {
  // fastify closes the connection after an oversized body; closing while the client still sends makes the kernel
  // reset the connection and drop the 400 unread (R3 over HTTPS saw EPIPE). The answer must wait for the body.
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  await hook.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = hook.app.server.address() as AddressInfo;
  const body = Buffer.alloc(MAX_REVIEW_BYTES + 4 * MiB, 'x');
  const serverSockets: Socket[] = [];
  hook.app.server.on('connection', (serverSocket: Socket) => serverSockets.push(serverSocket));
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  const closed = once(socket, 'close');
  socket.write(
    `POST /validate?timeout=10s HTTP/1.1\r\nHost: pullguard\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  socket.write(body.subarray(0, MiB));
  // Wait until the server has read that first MiB: an early answer would have been written before it read any of
  // it, and client and server share this process's event loop, so the client would have seen it by then (an answer
  // that comes instead ends the wait too).
  const deadline = Date.now() + 10_000;
  while ((serverSockets[0]?.bytesRead ?? 0) < MiB && received.length === 0) {
    if (Date.now() > deadline)
      throw new Error(`the server read ${serverSockets[0]?.bytesRead ?? 0} bytes of the first MiB within 10 s`);
    await setTimeout(5);
  }
  t.equal(Buffer.concat(received).length, 0, 'no answer while the body is still coming');
  socket.end(body.subarray(MiB));
  await closed;
  const answer = Buffer.concat(received).toString('utf8');
  t.match(answer, /^HTTP\/1\.1 400 /, 'the 400 arrives after the whole body');
  t.match(answer, /"code":"BODY_TOO_LARGE"/);
  t.match(answer, /connection: close/i, 'and the connection is closed after it');
});
