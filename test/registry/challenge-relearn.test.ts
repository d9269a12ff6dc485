/**
 * A cached auth challenge that can no longer be answered (its token realm refuses, fails or is gone) is forgotten,
 * so a registry that was fixed meanwhile, and now advertises another realm, is verified on the next check instead
 * of staying unverified for the challenge cache's 10 minutes.
 */
import { createServer as createHttpsServer } from 'node:https';
import { createServer } from 'node:net';
import t from 'tap';
import { createAuthenticator } from '../../src/registry/auth/authenticator.js';
import { createRegistryTransport } from '../../src/registry/transport/http-transport.js';
import { createIndexCache } from '../../src/registry/distribution/index-cache.js';
import { checkManifest } from '../../src/registry/distribution/manifest-check.js';
import { RegistryError } from '../../src/registry/transport/registry-error.js';
import { createRegistryLookup, listedHosts } from '../../src/config/registry-settings.js';
import { createSsrfGuard } from '../../src/registry/transport/ssrf-guard.js';
import { pushImage, startRegistry, TOKEN_SERVICE } from '../harness/registry/index.js';
import { testPki } from '../harness/registry/test-pki.js';
import { startLoopback, testConfig } from '../helpers/loopback.js';
import { credential, resolverFor } from '../helpers/resolver-setup.js';

/** A loopback port nobody listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

t.test('real token registry: a stale cached realm fails once, then the real challenge is learned again', async (t) => {
  const reg = await startRegistry({ mode: 'token' });
  t.teardown(() => reg.stop());
  await pushImage(reg, { repository: 'team/app', tags: ['v1'], format: 'oci-manifest' });
  // An old token server, trusted like the registry's own (the harness PKI is one per process): it refuses or fails.
  const pki = testPki();
  const oldRealm = createHttpsServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (req, res) => {
    const refuses = req.url?.startsWith('/refuse');
    res
      .writeHead(refuses ? 401 : 503, { 'content-type': 'application/json' })
      .end('{"errors":[{"code":"UNAUTHORIZED"}]}');
  });
  await new Promise<void>((resolve) => oldRealm.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => oldRealm.close(() => resolve())));
  const oldPort = (oldRealm.address() as { port: number }).port;
  const stale = {
    'a realm that is gone': `https://127.0.0.1:${await closedPort()}/token`,
    'a realm that refuses': `https://127.0.0.1:${oldPort}/refuse`,
    'a realm that fails': `https://127.0.0.1:${oldPort}/fail`,
  };
  for (const [label, realm] of Object.entries(stale)) {
    const config = testConfig({
      registries: [{ host: '127.0.0.1:*', caFile: reg.caFile }],
      network: { requestTimeout: '2s' },
    });
    const guard = createSsrfGuard({ blockedCidrs: config.network.blockedCidrs, listedHosts: listedHosts(config) });
    const transport = createRegistryTransport({ config, guard });
    t.teardown(() => transport.close());
    const auth = createAuthenticator({ transport });
    const deps = { transport, auth, indexes: createIndexCache() };
    const target = {
      origin: reg.url,
      registry: createRegistryLookup(config)(reg.host),
      repositoryPath: 'team/app',
      credential: credential(reg, 'alice'),
      signal: AbortSignal.timeout(10_000),
    };
    // What the authenticator would hold had the registry advertised this realm before its token server moved.
    auth.remember(reg.url, { scheme: 'bearer', params: { realm, service: TOKEN_SERVICE } });
    // The outcome, or the code of the transport error (the resolver turns those into outcomes).
    const check = () =>
      checkManifest(deps, { target, tag: 'v1', wantIndex: false, dockerHub: false }).then(
        (resolution) => resolution.outcome,
        (error: unknown) => (error instanceof RegistryError ? error.kind : Promise.reject(error)),
      );
    const first = await check();
    t.not(first, 'found', `${label}: the stale realm cannot be answered (${first})`);
    const tokens = reg.tokenServer?.requests() ?? 0;
    t.equal(await check(), 'found', `${label}: the next check learns the registry's real challenge`);
    t.ok((reg.tokenServer?.requests() ?? 0) > tokens, `${label}: and fetches its token from the real realm`);
  }
});

t.test(
  'a registry that moves its token realm is verified on the next check, whatever the old realm does now',
  async (t) => {
    const gone = await closedPort();
    const oldRealms = {
      refuses: await startLoopback((_req, res) => void res.writeHead(401).end()),
      fails: await startLoopback((_req, res) => void res.writeHead(503).end()),
    };
    const newRealm = await startLoopback(
      (_req, res) => void res.end(JSON.stringify({ token: 'fresh-token', expires_in: 300 })),
    );
    t.teardown(() => Promise.all([...Object.values(oldRealms), newRealm].map((s) => s.close())));
    const cases: Record<string, string> = {
      'the old realm refuses': `${oldRealms.refuses.url}/token`,
      'the old realm fails': `${oldRealms.fails.url}/token`,
      'the old realm is gone': `http://127.0.0.1:${gone}/token`,
    };
    for (const [label, oldRealm] of Object.entries(cases)) {
      let realm = oldRealm;
      const registry = await startLoopback((req, res) => {
        const challenge = `Bearer realm="${realm}",service="svc"`;
        if (req.url !== '/v2/' && req.headers.authorization === 'Bearer fresh-token') {
          return void res
            .writeHead(200, {
              'content-type': 'application/vnd.oci.image.manifest.v1+json',
              'docker-content-digest': `sha256:${'d'.repeat(64)}`,
            })
            .end();
        }
        res.writeHead(401, { 'www-authenticate': challenge }).end();
      });
      t.teardown(() => registry.close());
      const { resolve } = resolverFor(t, { mode: 'plain' });
      const alice = [{ username: 'alice', password: 'right-password', source: 'secret team/alice' }];
      t.not(
        (await resolve(`${registry.host}/team/app:v1`, alice)).outcome,
        'found',
        `${label}: unverified while the realm is broken`,
      );
      realm = `${newRealm.url}/token`; // the registry is fixed
      t.equal(
        (await resolve(`${registry.host}/team/app:v2`, alice)).outcome,
        'found',
        `${label}: verified on the next check`,
      );
      t.equal(registry.requests.filter((r) => r.url === '/v2/').length, 2, `${label}: the challenge was learned twice`);
    }
  },
);

t.test('a challenge that is answered fine stays cached', async (t) => {
  const registry = await startLoopback((req, res, self) => {
    if (req.url?.startsWith('/token')) return void res.end(JSON.stringify({ token: 'tok', expires_in: 300 }));
    if (req.url !== '/v2/' && req.headers.authorization === 'Bearer tok') {
      return void res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
    }
    res.writeHead(401, { 'www-authenticate': `Bearer realm="${self.url}/token",service="svc"` }).end();
  });
  t.teardown(() => registry.close());
  const { resolve } = resolverFor(t, { mode: 'plain' });
  for (const tag of ['v1', 'v2', 'v3'])
    t.equal((await resolve(`${registry.host}/team/app:${tag}`)).outcome, 'not-found', tag);
  t.equal(registry.requests.filter((r) => r.url === '/v2/').length, 1, 'learned once');
});
