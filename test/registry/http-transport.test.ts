import t from 'tap';
import { sendConcurrently } from '../helpers/concurrent-requests.js';
import { createRegistryTransport } from '../../src/registry/transport/http-transport.js';
import { RegistryError } from '../../src/registry/transport/registry-error.js';
import { listedHosts } from '../../src/config/registry-settings.js';
import { createSsrfGuard } from '../../src/registry/transport/ssrf-guard.js';
import { startLoopback, testConfig } from '../helpers/loopback.js';

const deadline = () => AbortSignal.timeout(5_000);

function setup(
  listed: string[],
  lookup?: (h: string) => Promise<{ address: string; family: number }[]>,
  requestTimeout = '2s',
) {
  const config = testConfig({
    registries: listed.map((host) => ({ host, plainHttp: true })),
    network: { requestTimeout },
  });
  const guard = createSsrfGuard({
    blockedCidrs: config.network.blockedCidrs,
    listedHosts: listedHosts(config),
    ...(lookup ? { lookup } : {}),
  });
  const transport = createRegistryTransport({ config, guard });
  t.teardown(() => transport.close());
  return { config, transport, registry: config.registries[0] };
}

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RegistryError) return error;
    throw error;
  }
  throw new Error('expected a RegistryError');
}

t.test('a listed loopback host is contacted; the body of a 2xx GET is read', async (t) => {
  const server = await startLoopback((_req, res) => res.end('{"ok":true}'));
  t.teardown(() => server.close());
  const { transport, registry } = setup(['127.0.0.1:*']);
  const response = await transport.request({
    url: new URL(`${server.url}/v2/`),
    method: 'GET',
    signal: deadline(),
    registry,
    readBody: true,
  });
  t.equal(response.status, 200);
  t.equal(response.body?.toString(), '{"ok":true}');
});

t.test('an unlisted loopback host is blocked before any connection', async (t) => {
  const server = await startLoopback((_req, res) => res.end());
  t.teardown(() => server.close());
  const { transport } = setup(['registry.example.com']);
  const error = await failure(
    transport.request({ url: new URL(`${server.url}/v2/`), method: 'GET', signal: deadline(), registry: undefined }),
  );
  t.equal(error.kind, 'blocked');
  t.equal(error.address, '127.0.0.1');
  t.equal(server.requests.length, 0);
});

t.test('a name that resolves to loopback is blocked, and the connection goes to the checked address', async (t) => {
  const server = await startLoopback((req, res) => res.end(req.headers.host));
  t.teardown(() => server.close());
  const port = server.host.split(':')[1];
  const lookups: string[] = [];
  const lookup = async (name: string) => {
    lookups.push(name);
    return [{ address: '127.0.0.1', family: 4 }];
  };
  const blocked = setup([], lookup);
  const error = await failure(
    blocked.transport.request({
      url: new URL(`http://evil.test:${port}/v2/`),
      method: 'GET',
      signal: deadline(),
      registry: undefined,
    }),
  );
  t.equal(error.kind, 'blocked');
  t.same(lookups, ['evil.test']);
  t.equal(server.requests.length, 0);

  const allowed = setup([`evil.test:${port}`], lookup);
  const response = await allowed.transport.request({
    url: new URL(`http://evil.test:${port}/v2/`),
    method: 'GET',
    signal: deadline(),
    registry: allowed.registry,
    readBody: true,
  });
  t.equal(response.body?.toString(), `evil.test:${port}`, 'Host header keeps the name');
});

t.test('redirects: followed up to 3, Authorization dropped across origins, a loop stops', async (t) => {
  const other = await startLoopback((_req, res) => res.end('landed'));
  t.teardown(() => other.close());
  const server = await startLoopback((req, res) => {
    if (req.url === '/loop') {
      res.writeHead(307, { location: '/loop' }).end();
    } else if (req.url === '/away') {
      res.writeHead(302, { location: `${other.url}/target` }).end();
    } else {
      res.writeHead(301, { location: '/away' }).end();
    }
  });
  t.teardown(() => server.close());
  const { transport, registry } = setup(['127.0.0.1:*']);
  const headers = { authorization: 'Basic c2VjcmV0' };
  const ok = await transport.request({
    url: new URL(`${server.url}/start`),
    method: 'GET',
    headers,
    signal: deadline(),
    registry,
    readBody: true,
  });
  t.equal(ok.body?.toString(), 'landed');
  t.equal(ok.url.host, other.host);
  t.equal(server.requests.filter((r) => r.authorization).length, 2, 'same origin keeps the header');
  t.equal(other.requests[0]?.authorization, undefined, 'other origin never sees it');

  const loop = await failure(
    transport.request({ url: new URL(`${server.url}/loop`), method: 'HEAD', signal: deadline(), registry }),
  );
  t.equal(loop.kind, 'redirects');
  t.equal(server.requests.filter((r) => r.url === '/loop').length, 4, 'the first request plus 3 redirects');
});

t.test(
  'a redirect hop passes the same guard: 0.0.0.0, [::] and names resolving to them are blocked, never dialled',
  async (t) => {
    const target = await startLoopback((_req, res) => res.end('landed')); // 0.0.0.0:<port> reaches it on Linux
    t.teardown(() => target.close());
    const port = target.host.split(':')[1];
    const locations = [
      `http://0.0.0.0:${port}/x`,
      `http://[::]:${port}/x`,
      `http://zero.test:${port}/x`,
      `http://zero6.test:${port}/x`,
    ];
    const server = await startLoopback((req, res) =>
      res.writeHead(307, { location: locations[Number(req.url?.slice(1))] ?? '/' }).end(),
    );
    t.teardown(() => server.close());
    const lookup = async (name: string) => [
      name === 'zero6.test' ? { address: '::', family: 6 } : { address: '0.0.0.0', family: 4 },
    ];
    const { transport, registry } = setup([server.host], lookup);
    for (const [i, location] of locations.entries()) {
      const headers = { authorization: 'Basic c2VjcmV0' };
      const error = await failure(
        transport.request({ url: new URL(`${server.url}/${i}`), method: 'GET', headers, signal: deadline(), registry }),
      );
      t.equal(error.kind, 'blocked', location);
    }
    t.equal(target.requests.length, 0, 'the server behind them saw nothing');
  },
);

t.test('a body over 4 MiB is cut off and is an error', async (t) => {
  let written = 0;
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 97);
    const write = () => {
      while (written < 10 * 1024 * 1024) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', write);
      }
      res.end();
    };
    res.on('close', () => undefined);
    write();
  });
  t.teardown(() => server.close());
  const { transport, registry } = setup(['127.0.0.1:*']);
  const error = await failure(
    transport.request({
      url: new URL(`${server.url}/big`),
      method: 'GET',
      signal: deadline(),
      registry,
      readBody: true,
    }),
  );
  t.equal(error.kind, 'too-large');
  t.ok(written < 10 * 1024 * 1024, `server stopped after ${written} bytes`);
});

t.test('a hanging server times out per request; the deadline is reported as such', async (t) => {
  const server = await startLoopback(() => undefined);
  t.teardown(() => server.close());
  const { transport, registry } = setup(['127.0.0.1:*'], undefined, '400ms');
  const started = Date.now();
  const timedOut = await failure(
    transport.request({ url: new URL(`${server.url}/v2/`), method: 'HEAD', signal: deadline(), registry }),
  );
  t.equal(timedOut.kind, 'timeout');
  t.ok(Date.now() - started < 2_000);
  const shortDeadline = AbortSignal.timeout(100);
  const deadlined = await failure(
    transport.request({ url: new URL(`${server.url}/v2/`), method: 'HEAD', signal: shortDeadline, registry }),
  );
  t.equal(deadlined.kind, 'deadline');
});

t.test('a refused connection is classified', async (t) => {
  const server = await startLoopback(() => undefined);
  await server.close();
  const { transport, registry } = setup(['127.0.0.1:*']);
  const error = await failure(
    transport.request({ url: new URL(`${server.url}/v2/`), method: 'HEAD', signal: deadline(), registry }),
  );
  t.equal(error.kind, 'refused');
});

t.test('the per-registry concurrency limit caps parallel requests to a registry', async (t) => {
  const { responses, peak } = await sendConcurrently(t, {
    count: 10,
    method: 'HEAD',
    holdMs: 30,
    body: '{}',
    registry: { concurrency: 2 },
  });
  t.ok(responses.every((r) => r.status === 200));
  t.equal(peak, 2);
});
