import { createHash } from 'node:crypto';
import t from 'tap';
import type { Authenticator, AuthTarget } from '../auth/authenticator.js';
import type { RegistryTransport, TransportRequest, TransportResponse } from '../transport/http-transport.js';
import { createIndexCache } from './index-cache.js';
import { DOCKER_LIST, MAX_PARSED_MANIFEST_BYTES, OCI_INDEX, OCI_MANIFEST } from './manifest-body.js';
import { RegistryError } from '../transport/registry-error.js';
import { countingJsonParse } from '../../../test/helpers/json-parse-count.js';
import { checkManifest } from './manifest-check.js';
import type { Resolution } from '../../resolution/resolution.js';
import { parseWwwAuthenticate } from '../auth/www-authenticate.js';

type Reply = { status: number; headers?: Record<string, string>; body?: string };
type Script = (request: TransportRequest) => Reply;

const indexBody = JSON.stringify({
  schemaVersion: 2,
  mediaType: OCI_INDEX,
  manifests: [
    {
      mediaType: OCI_MANIFEST,
      digest: `sha256:${'1'.repeat(64)}`,
      size: 1,
      platform: { os: 'linux', architecture: 'amd64' },
    },
    {
      mediaType: OCI_MANIFEST,
      digest: `sha256:${'2'.repeat(64)}`,
      size: 1,
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    },
    { mediaType: OCI_MANIFEST, digest: `sha256:${'3'.repeat(64)}`, size: 1 },
  ],
});
const indexDigest = `sha256:${createHash('sha256').update(indexBody).digest('hex')}`;
const manifestDigest = `sha256:${'9'.repeat(64)}`;

/** A transport answering from a script, recording requests; an authenticator with a fixed challenge. */
function fakes(script: Script, challenge = 'Basic realm="r"') {
  const requests: TransportRequest[] = [];
  const transport: RegistryTransport = {
    async request(request) {
      requests.push(request);
      const reply = script(request);
      const wantsBody = request.method === 'GET' && (reply.status >= 400 || request.readBody);
      if (
        wantsBody &&
        reply.status < 300 &&
        reply.body !== undefined &&
        request.maxBodyBytes !== undefined &&
        reply.body.length > request.maxBodyBytes
      ) {
        throw new RegistryError('too-large', { host: request.url.host, detail: 'response body over the cap' }); // as the real transport does
      }
      const response: TransportResponse = {
        status: reply.status,
        headers: reply.headers ?? {},
        url: request.url,
        ...(wantsBody && reply.body !== undefined ? { body: Buffer.from(reply.body) } : {}),
      };
      return response;
    },
    close: async () => undefined,
  };
  const auth: Authenticator = {
    challengeFor: async () => parseWwwAuthenticate(challenge)[0] ?? null,
    remember: () => undefined,
    forget: () => undefined,
    authorize: async (target, c) =>
      c?.scheme === 'basic' && target.credential
        ? { ok: true, scheme: 'basic', header: 'Basic x' }
        : { ok: true, scheme: c ? 'basic' : 'none' },
    invalidate: () => undefined,
  };
  return { deps: { transport, auth, indexes: createIndexCache() }, requests };
}

const target = (credential = false): AuthTarget => ({
  origin: 'https://r.example',
  registry: undefined,
  repositoryPath: 'team/app',
  credential: credential ? { username: 'u', password: 'p', source: 'secret ns/s' } : undefined,
  signal: AbortSignal.timeout(1000),
});

const found = (type: string, digest: string): Reply => ({
  status: 200,
  headers: { 'content-type': type, 'docker-content-digest': digest },
});

const cases: {
  name: string;
  script: Script;
  credential?: boolean;
  digest?: string;
  dockerHub?: boolean;
  want: Resolution;
  methods?: string[];
}[] = [
  {
    name: 'HEAD 200',
    script: () => found(OCI_MANIFEST, manifestDigest),
    want: { outcome: 'found', digest: manifestDigest, mediaType: OCI_MANIFEST },
    methods: ['HEAD'],
  },
  {
    name: 'HEAD 404 for a tag',
    script: () => ({ status: 404 }),
    want: { outcome: 'not-found', missing: 'tag' },
    methods: ['HEAD'],
  },
  {
    name: 'HEAD 404 for a digest',
    script: () => ({ status: 404 }),
    digest: manifestDigest,
    want: { outcome: 'not-found', missing: 'digest' },
  },
  {
    name: 'HEAD 400 then GET TAG_INVALID',
    script: () => ({ status: 400, body: '{"errors":[{"code":"TAG_INVALID","message":"x"}]}' }),
    want: { outcome: 'not-found', missing: 'tag' },
    methods: ['HEAD', 'GET'],
  },
  {
    name: 'GET 404 NAME_UNKNOWN (HEAD unsupported)',
    script: (r) =>
      r.method === 'HEAD' ? { status: 405 } : { status: 404, body: '{"errors":[{"code":"NAME_UNKNOWN"}]}' },
    want: { outcome: 'not-found', missing: 'repository' },
    methods: ['HEAD', 'GET'],
  },
  {
    name: 'HEAD unsupported, GET 200',
    script: (r) =>
      r.method === 'HEAD' ? { status: 501 } : { status: 200, headers: { 'content-type': OCI_INDEX }, body: indexBody },
    want: { outcome: 'found', digest: indexDigest, mediaType: OCI_INDEX },
  },
  {
    name: '401 anonymous',
    script: () => ({ status: 401 }),
    want: { outcome: 'unauthorized', reason: 'anonymous-refused' },
  },
  {
    name: '401 anonymous on Docker Hub is ambiguous',
    script: () => ({ status: 401 }),
    dockerHub: true,
    want: { outcome: 'unauthorized', reason: 'anonymous-refused', ambiguousMissing: true },
  },
  {
    name: '401 after Basic credentials',
    script: () => ({ status: 401 }),
    credential: true,
    want: { outcome: 'unauthorized', reason: 'credentials-rejected', credentialSource: 'secret ns/s' },
  },
  {
    name: '403 after Basic credentials',
    script: () => ({ status: 403 }),
    credential: true,
    want: { outcome: 'unauthorized', reason: 'no-access', credentialSource: 'secret ns/s' },
  },
  {
    name: '429 with headers',
    script: () => ({ status: 429, headers: { 'retry-after': '7' } }),
    want: { outcome: 'rate-limited', retryAfterSeconds: 7 },
  },
  {
    name: '503',
    script: () => ({ status: 503 }),
    want: { outcome: 'unreachable', cause: 'server-error', detail: 'registry answered HTTP 503', status: 503 },
  },
  {
    name: 'HEAD without digest: GET, and a body that does not match its digest is refused',
    script: (r): Reply =>
      r.method === 'HEAD'
        ? { status: 200, headers: { 'content-type': OCI_MANIFEST } }
        : {
            status: 200,
            headers: { 'content-type': OCI_MANIFEST, 'docker-content-digest': manifestDigest },
            body: '{}',
          },
    want: { outcome: 'unreachable', cause: 'protocol', detail: 'manifest does not match its digest' },
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const { deps, requests } = fakes(c.script);
    const result = await checkManifest(deps, {
      target: target(c.credential),
      tag: 'v1',
      ...(c.digest ? { digest: c.digest } : {}),
      wantIndex: false,
      dockerHub: c.dockerHub ?? false,
    });
    t.same(result, c.want);
    if (c.methods)
      t.same(
        requests.map((r) => r.method),
        c.methods,
      );
    t.ok(
      requests.every((r) => r.headers?.accept?.includes(OCI_INDEX) && r.headers.accept.includes(DOCKER_LIST)),
      'all four types accepted',
    );
  });
}

t.test('wantIndex: the index is fetched by digest once, then served from the digest cache', async (t) => {
  const { deps, requests } = fakes((r) =>
    r.method === 'HEAD'
      ? found(OCI_INDEX, indexDigest)
      : { status: 200, headers: { 'content-type': OCI_INDEX }, body: indexBody },
  );
  const options = { target: target(), tag: 'v1', wantIndex: true, dockerHub: false };
  const first = await checkManifest(deps, options);
  t.match(first, {
    outcome: 'found',
    digest: indexDigest,
    // Only the platforms are kept (the third entry declares none), never the entries themselves.
    index: { platforms: 'linux/amd64/ linux/arm64/v8', unplatformed: true, incomplete: false },
  });
  t.equal(requests[1]?.url.pathname, `/v2/team/app/manifests/${indexDigest}`, 'GET by digest');
  await checkManifest(deps, { ...options, tag: 'v2' });
  t.same(
    requests.map((r) => r.method),
    ['HEAD', 'GET', 'HEAD'],
  );
});

t.test('wantIndex with an unreadable index body is a protocol failure', async (t) => {
  const garbage = '{"manifests":"nope"}';
  const digest = `sha256:${createHash('sha256').update(garbage).digest('hex')}`;
  const { deps } = fakes((r) =>
    r.method === 'HEAD'
      ? found(OCI_INDEX, digest)
      : { status: 200, headers: { 'content-type': OCI_INDEX }, body: garbage },
  );
  t.same(await checkManifest(deps, { target: target(), tag: 'v1', wantIndex: true, dockerHub: false }), {
    outcome: 'unreachable',
    cause: 'protocol',
    detail: 'registry sent an unreadable image index',
  });
});

t.test('a manifest nested millions of levels deep is a protocol failure, found without parsing it', async (t) => {
  const deep = `{"schemaVersion":2,"x":${'['.repeat(1_500_000)}${']'.repeat(1_500_000)}}`;
  const digest = `sha256:${createHash('sha256').update(deep).digest('hex')}`;
  const { deps } = fakes((r): Reply =>
    r.method === 'HEAD'
      ? { status: 200, headers: { 'content-type': OCI_INDEX } }
      : { status: 200, headers: { 'content-type': OCI_INDEX, 'docker-content-digest': digest }, body: deep },
  );
  const { result, parses: parsed } = await countingJsonParse(() =>
    checkManifest(deps, { target: target(), tag: 'v1', wantIndex: true, dockerHub: false }),
  );
  t.same(result, { outcome: 'unreachable', cause: 'protocol', detail: 'registry sent a manifest nested too deeply' });
  t.equal(parsed, 0, 'never handed to JSON.parse');
});

t.test('an index body is parsed once, and only its compact platforms are kept', async (t) => {
  const manifests = Array.from({ length: 600 }, (_, i) => ({
    mediaType: OCI_MANIFEST,
    digest: `sha256:${String(i).padStart(64, '0')}`,
    size: 1,
    platform: { os: 'linux', architecture: 'amd64', variant: `${i}-${'v'.repeat(600)}` },
  }));
  const body = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [{ ...manifests[0], platform: { os: 'linux', architecture: 'arm64' } }, ...manifests],
  });
  t.ok(
    body.length > 400 * 1024 && body.length <= MAX_PARSED_MANIFEST_BYTES,
    `a ${(body.length / 1024).toFixed(0)} KiB index, just under the parse cap`,
  );
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  // HEAD without a digest: the GET's body serves both the digest check and the platforms.
  const { deps, requests } = fakes((r): Reply =>
    r.method === 'HEAD'
      ? { status: 200, headers: { 'content-type': OCI_INDEX } }
      : { status: 200, headers: { 'content-type': OCI_INDEX, 'docker-content-digest': digest }, body },
  );
  const { result, parses: parsed } = await countingJsonParse(() =>
    checkManifest(deps, { target: target(), tag: 'v1', wantIndex: true, dockerHub: false }),
  );
  t.same(
    requests.map((r) => r.method),
    ['HEAD', 'GET'],
  );
  t.equal(parsed, 1, 'one JSON.parse for the digest check and the platforms together');
  t.same(result, {
    outcome: 'found',
    digest,
    mediaType: OCI_INDEX,
    index: { platforms: 'linux/arm64/', unplatformed: false, incomplete: true },
  });
  t.equal(
    deps.indexes.get(digest),
    result.outcome === 'found' ? result.index : undefined,
    'the digest cache holds the same compact object',
  );
});

t.test(
  'an index over the parse cap is found, its platforms unread: not downloaded when HEAD says its size, never parsed',
  async (t) => {
    const manifests = Array.from({ length: 1200 }, (_, i) => ({
      mediaType: OCI_MANIFEST,
      digest: `sha256:${String(i).padStart(64, '0')}`,
      size: 1,
      platform: { os: 'linux', architecture: 's390x', variant: `v${i}${'x'.repeat(400)}` },
    }));
    const body = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests });
    t.ok(body.length > MAX_PARSED_MANIFEST_BYTES, `a ${(body.length / 1024).toFixed(0)} KiB index`);
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const unread = { platforms: '', unplatformed: false, incomplete: true };
    const options = { target: target(), tag: 'v1', wantIndex: true, dockerHub: false };
    const { parses: parsed } = await countingJsonParse(async () => {
      const sized = fakes((r): Reply =>
        r.method === 'HEAD'
          ? {
              status: 200,
              headers: {
                'content-type': OCI_INDEX,
                'docker-content-digest': digest,
                'content-length': String(body.length),
              },
            }
          : { status: 200, body },
      );
      t.same(
        await checkManifest(sized.deps, options),
        { outcome: 'found', digest, mediaType: OCI_INDEX, index: unread },
        'HEAD declares the size',
      );
      t.same(
        sized.requests.map((r) => r.method),
        ['HEAD'],
        'no GET for a body pullguard would not parse',
      );
      t.same(sized.deps.indexes.get(digest), unread, 'remembered by digest');

      const unsized = fakes((r): Reply =>
        r.method === 'HEAD' ? found(OCI_INDEX, digest) : { status: 200, headers: { 'content-type': OCI_INDEX }, body },
      );
      t.same(
        await checkManifest(unsized.deps, options),
        { outcome: 'found', digest, mediaType: OCI_INDEX, index: unread },
        'HEAD without a size',
      );
      t.equal(unsized.requests[1]?.maxBodyBytes, MAX_PARSED_MANIFEST_BYTES, 'the GET is read only up to the cap');

      // HEAD without a digest: the GET for the digest reads the whole body (up to 4 MiB), hashes it, and parses none of it.
      const headless = fakes((r): Reply =>
        r.method === 'HEAD'
          ? { status: 200, headers: { 'content-type': OCI_INDEX } }
          : { status: 200, headers: { 'content-type': OCI_INDEX, 'docker-content-digest': digest }, body },
      );
      t.same(
        await checkManifest(headless.deps, options),
        { outcome: 'found', digest, mediaType: OCI_INDEX, index: unread },
        'verified by its hash',
      );
      const tampered = fakes((r): Reply =>
        r.method === 'HEAD'
          ? { status: 200, headers: { 'content-type': OCI_INDEX } }
          : {
              status: 200,
              headers: { 'content-type': OCI_INDEX, 'docker-content-digest': `sha256:${'0'.repeat(64)}` },
              body,
            },
      );
      t.match(
        await checkManifest(tampered.deps, options),
        { outcome: 'unreachable', detail: 'manifest does not match its digest' },
        'a large body is still checked against its digest',
      );
    });
    t.equal(parsed, 0, 'never handed to JSON.parse');
  },
);
