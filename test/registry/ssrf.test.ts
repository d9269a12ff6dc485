/**
 * docs/design.md §7.2 R5 through the whole resolver: blocked hosts are never contacted unless listed under
 * `registries`.
 */
import t from 'tap';
import { resolverFor } from '../helpers/resolver-setup.js';
import { startLoopback } from '../helpers/loopback.js';

const okRegistry = () =>
  startLoopback((req, res) => {
    if (req.url === '/v2/') return void res.end('{}');
    res.writeHead(200, {
      'content-type': 'application/vnd.oci.image.manifest.v1+json',
      'docker-content-digest': `sha256:${'b'.repeat(64)}`,
    });
    res.end();
  });

t.test('the metadata address as a literal host is blocked', async (t) => {
  const { resolve } = resolverFor(t, { mode: 'plain' }, { hosts: ['registry.example.com'] });
  t.same(await resolve('169.254.169.254/latest/meta-data:v1'), {
    outcome: 'blocked',
    host: '169.254.169.254',
    address: '169.254.169.254',
  });
});

t.test('a name resolving to loopback is blocked; listed, the same name is resolved and contacted', async (t) => {
  const server = await okRegistry();
  t.teardown(() => server.close());
  const port = server.host.split(':')[1];
  const lookup = async () => [{ address: '127.0.0.1', family: 4 }];
  const blocked = resolverFor(t, { mode: 'plain' }, { hosts: ['registry.example.com'], lookup });
  t.same(await blocked.resolve(`internal.test:${port}/team/app:v1`), {
    outcome: 'blocked',
    host: `internal.test:${port}`,
    address: '127.0.0.1',
  });
  t.equal(server.requests.length, 0);
  const listed = resolverFor(t, { mode: 'plain' }, { hosts: [`internal.test:${port}`], lookup });
  t.equal((await listed.resolve(`internal.test:${port}/team/app:v1`)).outcome, 'found');
  t.ok(server.requests.length > 0);
});

t.test('an IPv4-mapped IPv6 loopback literal is blocked', async (t) => {
  // The reference grammar only takes hex IPv6 literals, so the dotted form arrives through DNS.
  const lookup = async () => [{ address: '::ffff:127.0.0.1', family: 6 }];
  const { resolve } = resolverFor(t, { mode: 'plain' }, { hosts: ['registry.example.com'], lookup });
  const literal = await resolve('[::ffff:7f00:1]:5000/team/app:v1');
  t.equal(literal.outcome, 'blocked');
  t.equal(literal.outcome === 'blocked' && literal.address, '127.0.0.1');
  const resolved = await resolve('mapped.test:5000/team/app:v1');
  t.same(resolved, { outcome: 'blocked', host: 'mapped.test:5000', address: '127.0.0.1' });
});

t.test('the loopback registry is contacted when its host is listed', async (t) => {
  const server = await okRegistry();
  t.teardown(() => server.close());
  const { resolve } = resolverFor(t, { mode: 'plain' }, { hosts: ['127.0.0.1:*'] });
  t.equal((await resolve(`${server.host}/team/app:v1`)).outcome, 'found');
});

t.test('blocked outcomes are not cached: listing the host later is not needed, but a retry asks again', async (t) => {
  let calls = 0;
  const lookup = async () => {
    calls++;
    return [{ address: '127.0.0.1', family: 4 }];
  };
  const { resolve } = resolverFor(t, { mode: 'plain' }, { hosts: ['registry.example.com'], lookup });
  await resolve('internal.test/team/app:v1');
  await resolve('internal.test/team/app:v1');
  t.equal(calls, 2);
});

t.test('a name that does not resolve is unreachable (dns), and the error text is safe', async (t) => {
  const lookup = async () => {
    throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' });
  };
  const { resolve } = resolverFor(t, { mode: 'plain' }, { hosts: ['nowhere.test'], lookup });
  t.same(await resolve('nowhere.test/team/app:v1'), {
    outcome: 'unreachable',
    cause: 'dns',
    detail: 'DNS lookup failed (ENOTFOUND)',
  });
});

t.test(
  'the built-in node-credential globs are not listed hosts: a name under them that resolves to loopback is blocked',
  async (t) => {
    const looked: string[] = [];
    const lookup = async (name: string) => {
      looked.push(name);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    // No registries: of the admin's own; the built-in ECR/GCR/Artifact Registry/ACR entries are all there is.
    const { resolve } = resolverFor(t, { mode: 'plain' }, { hosts: [], lookup });
    for (const host of [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com',
      'gcr.io',
      'eu.gcr.io',
      'europe-docker.pkg.dev',
      'evil.azurecr.io',
    ]) {
      t.same(await resolve(`${host}/team/app:v1`), { outcome: 'blocked', host, address: '127.0.0.1' }, host);
    }
    t.equal(looked.length, 5, 'each name was resolved and its address refused');
  },
);

t.test('a listed host glob lists one DNS label per *: a deeper name is not listed', async (t) => {
  const server = await okRegistry();
  t.teardown(() => server.close());
  const port = server.host.split(':')[1];
  const lookup = async () => [{ address: '127.0.0.1', family: 4 }];
  const { resolve } = resolverFor(t, { mode: 'plain' }, { hosts: [`*.internal.test:${port}`], lookup });
  t.equal((await resolve(`registry.internal.test:${port}/team/app:v1`)).outcome, 'found', 'one label: listed');
  const contacted = server.requests.length;
  t.same(await resolve(`evil.registry.internal.test:${port}/team/app:v1`), {
    outcome: 'blocked',
    host: `evil.registry.internal.test:${port}`,
    address: '127.0.0.1',
  });
  t.equal(server.requests.length, contacted, 'the deeper name never reached the server');
});
