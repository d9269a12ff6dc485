import net from 'node:net';
import tls from 'node:tls';
import t, { type Test } from 'tap';
import { Agent, fetch, request } from 'undici';
import { BLOCKED_REALM, HUGE_BODY_BYTES, startFaultServer, type FaultKind, type FaultServer } from './index.js';

async function started(t: Test, kind: FaultKind, options = {}): Promise<{ server: FaultServer; agent: Agent }> {
  const server = await startFaultServer(kind, options);
  const agent = new Agent({ headersTimeout: 2_000, bodyTimeout: 2_000 });
  t.teardown(async () => {
    await agent.destroy();
    await server.close();
  });
  return { server, agent };
}

async function send(agent: Agent, url: string, method: 'GET' | 'HEAD' = 'GET') {
  const res = await request(url, { method, dispatcher: agent });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body };
}

async function failure(promise: Promise<unknown>): Promise<{ code?: unknown; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const code =
      'code' in error
        ? error.code
        : error.cause instanceof Error && 'code' in error.cause
          ? error.cause.code
          : undefined;
    return { code, message: error.message };
  }
  throw new Error('expected the request to fail');
}

t.test('hang accepts and never answers', async (t) => {
  const { server } = await started(t, 'hang');
  const agent = new Agent({ headersTimeout: 200 });
  t.teardown(() => agent.destroy());
  const started_ = Date.now();
  t.match(await failure(send(agent, `${server.url}/v2/`)), { code: 'UND_ERR_HEADERS_TIMEOUT' });
  t.ok(Date.now() - started_ >= 150, 'waited for the client timeout');
  t.equal(server.hits(), 1);
});

t.test('reset sends a TCP reset on the first bytes', async (t) => {
  const { server, agent } = await started(t, 'reset');
  t.match(await failure(send(agent, `${server.url}/v2/`)), { code: /ECONNRESET|UND_ERR_SOCKET/ });
  t.equal(server.hits(), 1);
});

t.test('status-500 answers every request with a JSON 500', async (t) => {
  const { server, agent } = await started(t, 'status-500');
  for (const path of ['/v2/', '/v2/a/manifests/v1']) {
    const res = await send(agent, `${server.url}${path}`);
    t.equal(res.status, 500);
    t.match(JSON.parse(res.body.toString()), { errors: [{ code: 'UNKNOWN' }] });
  }
  t.equal((await send(agent, `${server.url}/v2/a/manifests/v1`, 'HEAD')).status, 500);
  t.equal(server.hits(), 3);
});

t.test('garbage-body serves non-JSON manifests and broken tag lists', async (t) => {
  const { server, agent } = await started(t, 'garbage-body');
  t.equal((await send(agent, `${server.url}/v2/`)).status, 200);
  const head = await send(agent, `${server.url}/v2/team/app/manifests/v1`, 'HEAD');
  t.equal(head.status, 200);
  t.equal(head.headers['content-type'], 'text/html');
  t.equal(head.headers['docker-content-digest'], undefined);
  const get = await send(agent, `${server.url}/v2/team/app/manifests/v1`);
  t.equal(get.status, 200);
  t.throws(() => JSON.parse(get.body.toString()));
  const tags = await send(agent, `${server.url}/v2/team/app/tags/list`);
  t.equal(tags.status, 200);
  t.throws(() => JSON.parse(tags.body.toString()));
  t.equal(server.hits(), 4);
});

t.test('huge-body sends 10 MiB for 200 and 404 answers', async (t) => {
  const { server, agent } = await started(t, 'huge-body');
  const ok = await send(agent, `${server.url}/v2/team/app/manifests/v1`);
  t.equal(ok.status, 200);
  t.equal(ok.body.length, HUGE_BODY_BYTES);
  const missing = await send(agent, `${server.url}/v2/team/missing/manifests/v1`);
  t.equal(missing.status, 404);
  t.equal(missing.body.length, HUGE_BODY_BYTES);
  t.match(missing.body.subarray(0, 30).toString(), /^\{"errors"/);
  const head = await send(agent, `${server.url}/v2/team/app/manifests/v1`, 'HEAD');
  t.equal(head.headers['content-length'], String(HUGE_BODY_BYTES));
  // A client that gives up early must not leave the server writing.
  const res = await request(`${server.url}/v2/team/app/manifests/v2`, { dispatcher: agent });
  res.body.destroy();
  t.equal(server.hits(), 4);
});

t.test('endless-headers overflows any sane header limit', async (t) => {
  const { server, agent } = await started(t, 'endless-headers');
  t.match(await failure(send(agent, `${server.url}/v2/`)), { code: /HPE_HEADER_OVERFLOW|UND_ERR_HEADERS_OVERFLOW/ });
  t.equal(server.hits(), 1);
});

t.test('redirect-loop redirects forever between two paths', async (t) => {
  const { server, agent } = await started(t, 'redirect-loop');
  const first = await send(agent, `${server.url}/v2/team/app/manifests/v1`, 'HEAD');
  t.equal(first.status, 307);
  t.equal(first.headers['location'], `${server.url}/__loop/a`);
  t.equal((await send(agent, `${server.url}/__loop/a`)).headers['location'], `${server.url}/__loop/b`);
  t.equal((await send(agent, `${server.url}/__loop/b`)).headers['location'], `${server.url}/__loop/a`);
  const followed = await failure(fetch(`${server.url}/v2/`, { dispatcher: agent }));
  t.match(followed.message, /fetch failed/);
  t.ok(server.hits() > 20, `fetch followed ${server.hits() - 3} redirects before giving up`);
});

t.test('blocked-realm challenges with the metadata endpoint or a chosen realm', async (t) => {
  const { server, agent } = await started(t, 'blocked-realm');
  const res = await send(agent, `${server.url}/v2/team/app/manifests/v1`, 'HEAD');
  t.equal(res.status, 401);
  t.equal(
    res.headers['www-authenticate'],
    `Bearer realm="${BLOCKED_REALM}",service="x",scope="repository:team/app:pull"`,
  );
  const other = await started(t, 'blocked-realm', { realm: 'http://127.0.0.2:9/token' });
  t.equal(
    (await send(other.agent, `${other.server.url}/v2/`)).headers['www-authenticate'],
    'Bearer realm="http://127.0.0.2:9/token",service="x"',
  );
  t.equal(server.hits(), 1);
  t.equal(other.server.hits(), 1);
});

t.test('rate-limited answers 429 with rate-limit headers', async (t) => {
  const { server, agent } = await started(t, 'rate-limited');
  const res = await send(agent, `${server.url}/v2/team/app/manifests/v1`);
  t.equal(res.status, 429);
  t.match(res.headers, { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600', 'retry-after': '60' });
  t.match(JSON.parse(res.body.toString()), { errors: [{ code: 'TOOMANYREQUESTS' }] });
  t.equal(server.hits(), 1);
});

t.test('tls-garbage breaks the TLS handshake', async (t) => {
  const { server } = await started(t, 'tls-garbage');
  t.match(server.url, /^https:\/\//);
  const [host, port] = server.host.split(':');
  const error = await new Promise<Error>((resolve) => {
    const socket = tls.connect({ host, port: Number(port), rejectUnauthorized: false });
    socket.once('secureConnect', () => resolve(new Error('handshake unexpectedly succeeded')));
    socket.once('error', resolve);
  });
  t.match(error, { code: /ERR_SSL|EPROTO|ECONNRESET/ });
  t.equal(server.hits(), 1);
});

t.test('close destroys open connections', async (t) => {
  const server = await startFaultServer('hang');
  const socket = net.connect(Number(server.host.split(':')[1]), '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.on('error', () => undefined);
  await server.close();
  await closed;
  t.pass('client saw the connection close');
  await server.close(); // idempotent
});
