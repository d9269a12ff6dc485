import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import t from 'tap';
import { Agent, request } from 'undici';
import { MEDIA_TYPES, pushImage, startRegistry, TOKEN_SERVICE, type PushFormat, type RegistryHandle } from './index.js';
import { ensureSkopeo } from './system-tools.js';

/** The Accept list a pull client sends (docs/design.md §1.3). */
const FULL_ACCEPT = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerList,
  MEDIA_TYPES.dockerManifest,
].join(', ');
const FORMATS: PushFormat[] = ['oci-manifest', 'docker-manifest', 'oci-index', 'docker-list'];
const TWO_PLATFORMS = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64', variant: 'v8' },
];

function client(reg: RegistryHandle): Agent {
  return new Agent({ connect: reg.caPem === undefined ? {} : { ca: reg.caPem } });
}

async function send(agent: Agent, url: string, method: 'GET' | 'HEAD', headers: Record<string, string> = {}) {
  const res = await request(url, { method, headers, dispatcher: agent });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text };
}

function basic(user: string, password: string | undefined): string {
  return `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}`;
}

async function token(agent: Agent, reg: RegistryHandle, scopes: string[], authorization?: string) {
  const url = new URL(reg.tokenServer?.url ?? 'https://invalid.invalid/');
  url.searchParams.set('service', TOKEN_SERVICE);
  for (const scope of scopes) url.searchParams.append('scope', scope);
  const res = await send(
    agent,
    url.toString(),
    'GET',
    authorization === undefined ? {} : { Authorization: authorization },
  );
  const body: unknown = res.status === 200 ? JSON.parse(res.text) : undefined;
  const value =
    typeof body === 'object' && body !== null && 'token' in body && typeof body.token === 'string' ? body.token : '';
  return { status: res.status, text: res.text, bearer: `Bearer ${value}`, body };
}

for (const mode of ['plain', 'basic', 'token'] as const) {
  t.test(`${mode} registry: every format pushes and answers HEAD with the full Accept list`, async (t) => {
    const reg = await startRegistry({ mode });
    t.teardown(() => reg.stop());
    const agent = client(reg);
    t.teardown(() => agent.close());
    t.equal(reg.mode, mode);
    t.match(reg.url, mode === 'plain' ? /^http:\/\/127\.0\.0\.1:\d+$/ : /^https:\/\/127\.0\.0\.1:\d+$/);
    t.equal(reg.url.replace(/^https?:\/\//, ''), reg.host);
    t.equal(reg.caFile === undefined, mode === 'plain', 'caFile only with TLS');
    t.equal(reg.tokenServer === undefined, mode !== 'token', 'token server only in token mode');
    t.match(reg.users, { alice: /^s3cret-alice-/, bob: /^s3cret-bob-/ });
    if (reg.caFile !== undefined) t.equal(readFileSync(reg.caFile, 'utf8'), reg.caPem, 'caFile holds caPem');

    for (const format of FORMATS) {
      const repository = `shared/${format}`;
      const pushed = await pushImage(reg, { repository, tags: ['v1', 'latest'], format, platforms: TWO_PLATFORMS });
      t.equal(pushed.reference, `${reg.host}/${repository}:v1`);
      t.equal(pushed.children?.length, format.endsWith('manifest') ? undefined : 2, `${format} children`);
      const auth: Record<string, string> =
        mode === 'plain'
          ? {}
          : {
              Authorization:
                mode === 'basic'
                  ? basic('alice', reg.users['alice'])
                  : (await token(agent, reg, [`repository:${repository}:pull`], basic('bob', reg.users['bob']))).bearer,
            };
      for (const tag of ['v1', 'latest', pushed.digest]) {
        const head = await send(agent, `${reg.url}/v2/${repository}/manifests/${tag}`, 'HEAD', {
          Accept: FULL_ACCEPT,
          ...auth,
        });
        t.equal(head.status, 200, `${format} HEAD ${tag}`);
        t.equal(head.headers['docker-content-digest'], pushed.digest, `${format} digest`);
        t.equal(head.headers['content-type'], pushed.mediaType, `${format} content type`);
      }
      for (const child of pushed.children ?? []) {
        const head = await send(agent, `${reg.url}/v2/${repository}/manifests/${child.digest}`, 'HEAD', {
          Accept: FULL_ACCEPT,
          ...auth,
        });
        t.equal(head.status, 200, `${format} child ${child.platform.architecture}`);
      }
    }
    t.equal(await reg.manifestRequests('HEAD'), FORMATS.length * 3 + 4, 'every HEAD is in the access log');
    t.equal(await reg.manifestRequests('GET'), 0);
    const missing = await send(agent, `${reg.url}/v2/shared/oci-index/manifests/nope`, 'GET', {
      Accept: FULL_ACCEPT,
      ...(mode === 'basic' ? { Authorization: basic('alice', reg.users['alice']) } : {}),
    });
    t.equal(missing.status, mode === 'token' ? 401 : 404);
    t.equal(await reg.manifestRequests('GET'), 1, 'GET counted');
    t.equal(await reg.manifestRequests(), FORMATS.length * 3 + 5, 'HEAD + GET');
    const log = await reg.accessLog();
    t.ok(
      log.some(
        (e) =>
          e.method === 'GET' &&
          e.uri === '/v2/shared/oci-index/manifests/nope' &&
          e.status === (mode === 'token' ? 401 : 404),
      ),
    );
    t.ok(
      log.some((e) => e.method === 'PUT' && e.status === 201),
      'pushes are logged too',
    );
  });
}

t.test('oci-index with attestation adds an unknown/unknown entry that is not a child', async (t) => {
  const reg = await startRegistry({ mode: 'plain' });
  t.teardown(() => reg.stop());
  const agent = client(reg);
  t.teardown(() => agent.close());
  const pushed = await pushImage(reg, {
    repository: 'team/attested',
    tags: ['v1'],
    format: 'oci-index',
    attestation: true,
  });
  t.equal(pushed.children?.length, 1);
  t.type(pushed.attestationDigest, 'string');
  const index = await send(agent, `${reg.url}/v2/team/attested/manifests/v1`, 'GET', { Accept: FULL_ACCEPT });
  const body: unknown = JSON.parse(index.text);
  t.match(body, {
    manifests: [
      { digest: pushed.children?.[0]?.digest, platform: { os: 'linux', architecture: 'amd64' } },
      {
        digest: pushed.attestationDigest,
        platform: { os: 'unknown', architecture: 'unknown' },
        annotations: {
          'vnd.docker.reference.type': 'attestation-manifest',
          'vnd.docker.reference.digest': pushed.children?.[0]?.digest,
        },
      },
    ],
  });
  const other = await pushImage(reg, {
    repository: 'team/other',
    tags: ['v1'],
    format: 'oci-index',
    attestation: true,
  });
  t.not(other.digest, pushed.digest, 'different repositories get different digests');
});

t.test('basic registry rejects missing and wrong credentials with a Basic challenge', async (t) => {
  const reg = await startRegistry({ mode: 'basic' });
  t.teardown(() => reg.stop());
  const agent = client(reg);
  t.teardown(() => agent.close());
  await pushImage(reg, { repository: 'team/app', tags: ['v1'], format: 'oci-manifest' });
  const url = `${reg.url}/v2/team/app/manifests/v1`;
  const variants: Record<string, string>[] = [
    {},
    { Authorization: basic('alice', 'wrong') },
    { Authorization: basic('mallory', 'x') },
  ];
  for (const headers of variants) {
    const res = await send(agent, url, 'HEAD', { Accept: FULL_ACCEPT, ...headers });
    t.equal(res.status, 401);
    t.match(res.headers['www-authenticate'], /^Basic realm=/);
  }
  t.equal(
    (await send(agent, url, 'HEAD', { Accept: FULL_ACCEPT, Authorization: basic('bob', reg.users['bob']) })).status,
    200,
  );
  t.equal((await reg.accessLog()).filter((e) => e.status === 401 && e.uri === '/v2/team/app/manifests/v1').length, 3);
});

t.test('token registry: ACL, anonymous access, bad passwords and multi-scope tokens', async (t) => {
  const reg = await startRegistry({ mode: 'token' });
  t.teardown(() => reg.stop());
  const agent = client(reg);
  t.teardown(() => agent.close());
  await pushImage(reg, { repository: 'team/app', tags: ['v1'], format: 'oci-index' });
  await pushImage(reg, { repository: 'public/base', tags: ['v1'], format: 'docker-list' });
  const head = (repo: string, authorization?: string) =>
    send(agent, `${reg.url}/v2/${repo}/manifests/v1`, 'HEAD', {
      Accept: FULL_ACCEPT,
      ...(authorization === undefined ? {} : { Authorization: authorization }),
    });

  const challenge = await head('team/app');
  t.equal(challenge.status, 401);
  t.equal(
    challenge.headers['www-authenticate'],
    `Bearer realm="${reg.tokenServer?.url}",service="${TOKEN_SERVICE}",scope="repository:team/app:pull"`,
  );
  const before = reg.tokenServer?.requests() ?? 0;
  const anonymousTeam = await token(agent, reg, ['repository:team/app:pull']);
  t.equal(anonymousTeam.status, 200, 'anonymous tokens are issued');
  t.match(anonymousTeam.body, { expires_in: 300, issued_at: String, access_token: String });
  t.match((await head('team/app', anonymousTeam.bearer)).headers['www-authenticate'], /error="insufficient_scope"/);
  t.equal((await head('public/base', (await token(agent, reg, ['repository:public/base:pull'])).bearer)).status, 200);
  const alice = await token(
    agent,
    reg,
    ['repository:team/app:pull', 'repository:public/base:pull'],
    basic('alice', reg.users['alice']),
  );
  t.equal((await head('team/app', alice.bearer)).status, 200, 'alice, first scope');
  t.equal((await head('public/base', alice.bearer)).status, 200, 'alice, second scope of the same token');
  const bob = await token(agent, reg, ['repository:team/app:pull'], basic('bob', reg.users['bob']));
  t.equal((await head('team/app', bob.bearer)).status, 401, 'bob has no access outside shared/');
  const wrong = await token(agent, reg, ['repository:team/app:pull'], basic('alice', 'wrong'));
  t.equal(wrong.status, 401);
  t.match(JSON.parse(wrong.text), { errors: [{ code: 'UNAUTHORIZED' }] });
  t.equal((await head('team/app', 'Bearer garbage')).status, 401);
  t.equal((reg.tokenServer?.requests() ?? 0) - before, 5, 'token server counts its requests');
  t.match(reg.tokenServer?.requestLog().at(-1), { user: 'alice', status: 401, scopes: ['repository:team/app:pull'] });
});

t.test('token registry honours a custom ACL', async (t) => {
  const reg = await startRegistry({
    mode: 'token',
    tokenAcl: (user, repository) => (user === 'alice' ? ['pull', 'push'] : repository === 'team/app' ? ['pull'] : []),
  });
  t.teardown(() => reg.stop());
  const agent = client(reg);
  t.teardown(() => agent.close());
  await pushImage(reg, { repository: 'team/app', tags: ['v1'], format: 'docker-manifest' });
  const anonymous = await token(agent, reg, ['repository:team/app:pull,push']);
  const res = await send(agent, `${reg.url}/v2/team/app/manifests/v1`, 'HEAD', {
    Accept: FULL_ACCEPT,
    Authorization: anonymous.bearer,
  });
  t.equal(res.status, 200);
});

t.test('skopeo (containers/image) reads what pushImage wrote', async (t) => {
  await ensureSkopeo();
  const reg = await startRegistry({ mode: 'plain' });
  t.teardown(() => reg.stop());
  const list = await pushImage(reg, {
    repository: 'team/multi',
    tags: ['v1'],
    format: 'docker-list',
    platforms: TWO_PLATFORMS,
  });
  const skopeo = (...args: string[]) =>
    promisify(execFile)('skopeo', [...args, '--tls-verify=false', `docker://${reg.host}/team/multi:v1`], {
      timeout: 10_000,
    });
  const raw = await skopeo('inspect', '--raw');
  t.match(JSON.parse(raw.stdout), { mediaType: MEDIA_TYPES.dockerList });
  const arm = await skopeo('--override-arch', 'arm64', '--override-variant', 'v8', 'inspect');
  // skopeo reports the digest of the list it was pointed at, and the config of the chosen child.
  t.match(JSON.parse(arm.stdout), { Digest: list.digest, Architecture: 'arm64', Os: 'linux' });
  await t.rejects(
    skopeo('--override-arch', 's390x', 'inspect'),
    /no image found in manifest list for architecture s390x/,
  );
});

t.test('stop kills the registry and removes its files', async (t) => {
  const reg = await startRegistry({ mode: 'basic' });
  const caFile = reg.caFile ?? '';
  t.ok(existsSync(caFile));
  await reg.stop();
  await reg.stop();
  t.notOk(existsSync(caFile), 'temp dir removed');
  const agent = client(reg);
  t.teardown(() => agent.destroy());
  await t.rejects(send(agent, `${reg.url}/v2/`, 'GET'), { code: 'ECONNREFUSED' });
});

t.test('registries started side by side are independent', async (t) => {
  const regs = await Promise.all([
    startRegistry({ mode: 'plain' }),
    startRegistry({ mode: 'plain' }),
    startRegistry({ mode: 'token' }),
  ]);
  t.teardown(() => Promise.all(regs.map((r) => r.stop())));
  t.equal(new Set(regs.map((r) => r.host)).size, 3, 'distinct ports');
  const [a, b] = regs;
  if (a === undefined || b === undefined) throw new Error('expected two registries');
  await pushImage(a, { repository: 'team/app', tags: ['v1'], format: 'oci-manifest' });
  const agent = client(b);
  t.teardown(() => agent.destroy());
  t.equal(
    (await send(agent, `${b.url}/v2/team/app/manifests/v1`, 'HEAD', { Accept: FULL_ACCEPT })).status,
    404,
    'own storage',
  );
  t.equal(await a.manifestRequests(), 0);
  t.equal(await b.manifestRequests('HEAD'), 1);
  t.notSame(a.users, b.users, 'own random passwords');
});
