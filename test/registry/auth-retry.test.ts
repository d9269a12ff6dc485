/** The 401 retry rules of the authenticator, against small loopback registries that behave in the odd ways. */
import t from 'tap';
import { resolverFor } from '../helpers/resolver-setup.js';
import { startLoopback } from '../helpers/loopback.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const okManifest = { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': DIGEST };

t.test('invalid_token: the cached token is dropped and a fresh one used, once', async (t) => {
  let issued = 0;
  const server = await startLoopback((req, res, self) => {
    const challenge = `Bearer realm="${self.url}/token",service="svc"`;
    if (req.url === '/v2/') return void res.writeHead(401, { 'www-authenticate': challenge }).end();
    if (req.url?.startsWith('/token'))
      return void res.end(JSON.stringify({ token: `tok${++issued}`, expires_in: 300 }));
    if (req.headers.authorization === 'Bearer tok1') {
      return void res.writeHead(401, { 'www-authenticate': `${challenge},error="invalid_token"` }).end();
    }
    res.writeHead(req.headers.authorization === 'Bearer tok2' ? 200 : 401, okManifest).end();
  });
  t.teardown(() => server.close());
  const { resolve } = resolverFor(t, { mode: 'plain' });
  const result = await resolve(`${server.host}/team/app:v1`);
  t.same(result, { outcome: 'found', digest: DIGEST, mediaType: okManifest['content-type'] });
  t.equal(issued, 2);
  const tokenRequest = server.requests.find((r) => r.url.startsWith('/token'));
  t.equal(tokenRequest?.url, '/token?service=svc&scope=repository%3Ateam%2Fapp%3Apull');
});

t.test(
  'a registry open on /v2/ that wants a token for the repository: the challenge is learned, then remembered',
  async (t) => {
    let tokens = 0;
    const server = await startLoopback((req, res, self) => {
      if (req.url === '/v2/') return void res.end('{}');
      if (req.url?.startsWith('/token')) return void res.end(JSON.stringify({ access_token: `t${++tokens}` }));
      if (req.headers.authorization?.startsWith('Bearer ')) return void res.writeHead(200, okManifest).end();
      res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${self.url}/token",service="svc",scope="repository:team/app:pull"`,
        })
        .end();
    });
    t.teardown(() => server.close());
    const { resolve } = resolverFor(t, { mode: 'plain' });
    t.equal((await resolve(`${server.host}/team/app:v1`)).outcome, 'found');
    t.equal((await resolve(`${server.host}/team/app:v2`)).outcome, 'found');
    const manifestRequests = server.requests.filter((r) => r.url.includes('/manifests/'));
    t.equal(manifestRequests.length, 3, '2 for the first image (learning), 1 for the second');
    t.equal(tokens, 1, 'access_token accepted and reused');
  },
);

t.test('credentials go to the registry and its realm only, and never across a redirect to another host', async (t) => {
  const elsewhere = await startLoopback((_req, res) => res.writeHead(200, okManifest).end());
  t.teardown(() => elsewhere.close());
  const server = await startLoopback((req, res) => {
    if (req.url === '/v2/') return void res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
    res.writeHead(307, { location: `${elsewhere.url}${req.url}` }).end();
  });
  t.teardown(() => server.close());
  const { resolve } = resolverFor(t, { mode: 'plain' });
  const result = await resolve(`${server.host}/team/app:v1`, [
    { username: 'u', password: 'pw', source: 'secret ns/s' },
  ]);
  t.equal(result.outcome, 'found');
  t.ok(
    server.requests.some((r) => r.authorization?.startsWith('Basic ')),
    'the registry got the credential',
  );
  t.same(
    elsewhere.requests.map((r) => r.authorization),
    [undefined],
    'the redirect target did not',
  );
});

t.test('a token response without a token is a protocol failure, not found or unauthorized', async (t) => {
  const server = await startLoopback((req, res, self) => {
    if (req.url?.startsWith('/token')) return void res.end('{"expires_in": 300}');
    res.writeHead(401, { 'www-authenticate': `Bearer realm="${self.url}/token"` }).end();
  });
  t.teardown(() => server.close());
  const { resolve } = resolverFor(t, { mode: 'plain' });
  t.match(await resolve(`${server.host}/team/app:v1`), { outcome: 'unreachable', cause: 'protocol' });
});

t.test('a 401 whose challenge echoes the credential just sent is not learned: its realm is never asked', async (t) => {
  const echoRealm = await startLoopback((_req, res) => res.end(JSON.stringify({ token: 'never' })));
  t.teardown(() => echoRealm.close());
  const server = await startLoopback((req, res) => {
    if (!req.headers.authorization) return void res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
    const sent = req.headers.authorization.replace(/^Basic /, '');
    res
      .writeHead(401, { 'www-authenticate': `Bearer realm="${echoRealm.url}/token?echo=${sent}",service="svc"` })
      .end();
  });
  t.teardown(() => server.close());
  const { resolve } = resolverFor(t, { mode: 'plain' });
  const alice = [{ username: 'alice', password: 'echoed-password', source: 'secret ns/alice' }];
  for (const tag of ['v1', 'v2']) {
    t.same(
      await resolve(`${server.host}/team/app:${tag}`, alice),
      { outcome: 'unauthorized', reason: 'credentials-rejected', credentialSource: 'secret ns/alice' },
      tag,
    );
  }
  t.equal(echoRealm.requests.length, 0, 'the echoed realm never saw a request, so never the credential');
  t.equal(server.requests.filter((r) => r.url === '/v2/').length, 1, 'the real challenge stays the one learned');
});
