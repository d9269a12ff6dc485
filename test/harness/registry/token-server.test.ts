import crypto from 'node:crypto';
import t from 'tap';
import { Agent, request } from 'undici';
import { testPki } from './test-pki.js';
import {
  defaultTokenAcl,
  harnessTokenServerOptions,
  startTokenServer,
  TOKEN_ISSUER,
  TOKEN_SERVICE,
} from './token-server.js';

const users = { alice: 'pw-alice', bob: 'pw-bob' };
const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

t.test('defaultTokenAcl', async (t) => {
  const cases: [string | undefined, string, string[]][] = [
    ['alice', 'team/app', ['pull', 'push']],
    ['bob', 'shared/app', ['pull']],
    ['bob', 'team/app', []],
    [undefined, 'public/base', ['pull']],
    [undefined, 'shared/app', []],
    ['carol', 'public/base', []],
  ];
  for (const [user, repo, expected] of cases) t.same(defaultTokenAcl(user, repo), expected, `${user} on ${repo}`);
});

t.test('token server issues RS256 tokens the registry can verify', async (t) => {
  const pki = testPki();
  const server = await startTokenServer(harnessTokenServerOptions(pki, users, defaultTokenAcl));
  const agent = new Agent({ connect: { ca: pki.caPem } });
  t.teardown(async () => {
    await agent.destroy();
    await server.close();
  });
  const ask = async (
    query: string,
    init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
  ) => {
    const res = await request(`${server.url}${query}`, {
      dispatcher: agent,
      method: init.method ?? 'GET',
      headers: init.headers ?? {},
      body: init.body ?? null,
    });
    return { status: res.statusCode, headers: res.headers, body: await res.body.json() };
  };
  const claimsOf = (body: unknown): unknown => {
    if (typeof body !== 'object' || body === null || !('token' in body) || typeof body.token !== 'string')
      throw new Error('no token');
    const [header, payload, signature] = body.token.split('.');
    if (header === undefined || payload === undefined || signature === undefined) throw new Error('not a JWT');
    const parsedHeader: unknown = JSON.parse(Buffer.from(header, 'base64url').toString());
    const cert = new crypto.X509Certificate(pki.tokenCertPem);
    t.match(parsedHeader, { alg: 'RS256', typ: 'JWT', x5c: [cert.raw.toString('base64')] });
    t.ok(
      crypto.verify('sha256', Buffer.from(`${header}.${payload}`), cert.publicKey, Buffer.from(signature, 'base64url')),
      'signature',
    );
    return JSON.parse(Buffer.from(payload, 'base64url').toString());
  };

  const alice = await ask(
    `?service=${TOKEN_SERVICE}&scope=repository:team/app:pull,push&scope=${encodeURIComponent('repository:shared/x:pull registry:catalog:*')}`,
    { headers: { Authorization: basic('alice', 'pw-alice') } },
  );
  t.equal(alice.status, 200);
  t.match(alice.body, { expires_in: 300, issued_at: /^\d{4}-\d\d-\d\dT/ });
  const claims = claimsOf(alice.body);
  t.match(claims, {
    iss: TOKEN_ISSUER,
    aud: TOKEN_SERVICE,
    sub: 'alice',
    exp: Number,
    nbf: Number,
    iat: Number,
    jti: String,
    access: [
      { type: 'repository', name: 'team/app', actions: ['pull', 'push'] },
      { type: 'repository', name: 'shared/x', actions: ['pull'] },
      { type: 'registry', name: 'catalog', actions: [] },
    ],
  });

  const bob = claimsOf(
    (
      await ask('?scope=repository:shared/x:pull,push&scope=repository:team/app:pull', {
        headers: { Authorization: basic('bob', 'pw-bob') },
      })
    ).body,
  );
  t.match(bob, {
    access: [
      { name: 'shared/x', actions: ['pull'] },
      { name: 'team/app', actions: [] },
    ],
  });

  const anonymous = claimsOf((await ask('?scope=repository:public/base:pull')).body);
  t.match(anonymous, { sub: '', access: [{ name: 'public/base', actions: ['pull'] }] });

  const form = new URLSearchParams({
    grant_type: 'password',
    username: 'bob',
    password: 'pw-bob',
    service: TOKEN_SERVICE,
    scope: 'repository:shared/y:pull',
  });
  const posted = await ask('', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  t.equal(posted.status, 200, 'OAuth2 password grant');
  t.match(claimsOf(posted.body), { sub: 'bob', access: [{ name: 'shared/y', actions: ['pull'] }] });

  for (const authorization of [basic('alice', 'nope'), basic('mallory', 'pw-alice'), 'Basic !!!', basic('alice', '')]) {
    const denied = await ask('?scope=repository:team/app:pull', { headers: { Authorization: authorization } });
    t.equal(denied.status, 401);
    t.match(denied.body, { errors: [{ code: 'UNAUTHORIZED' }] });
    t.notMatch(JSON.stringify(denied.body), /pw-alice/, 'no password echoed');
  }
  t.equal(
    await request(`${server.url.replace('/token', '/other')}`, { dispatcher: agent }).then(async (r) => {
      await r.body.dump();
      return r.statusCode;
    }),
    404,
  );
  t.equal(server.requests(), 9);
  t.same(
    server.requestLog().map((r) => [r.user, r.status]),
    [
      ['alice', 200],
      ['bob', 200],
      [undefined, 200],
      ['bob', 200],
      ['alice', 401],
      ['mallory', 401],
      [undefined, 401],
      ['alice', 401],
    ],
  );
});
