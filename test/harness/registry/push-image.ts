import { harnessHttp, headerValue, type HarnessHttp } from './http-client.js';
import {
  buildAttestation,
  buildIndex,
  buildManifest,
  type Blob,
  type BuiltManifest,
  type IndexEntry,
} from './image-builder.js';
import { TOKEN_SERVICE } from './token-server.js';
import type { ImagePlatform, PushedImage, PushImageOptions, RegistryHandle } from './types.js';

const DEFAULT_PLATFORMS: readonly ImagePlatform[] = [{ os: 'linux', architecture: 'amd64' }];

/**
 * Pushes a small generated image through the registry HTTP API (monolithic blob upload + manifest PUT)
 * as alice. Layers depend on repository + platform (+ salt), so different repositories get different digests.
 */
export async function pushImage(reg: RegistryHandle, options: PushImageOptions): Promise<PushedImage> {
  const [firstTag] = options.tags;
  if (firstTag === undefined) throw new Error('pushImage: at least one tag is required');
  const platforms = options.platforms ?? DEFAULT_PLATFORMS;
  if (platforms.length === 0) throw new Error('pushImage: platforms must not be empty');
  if (options.attestation === true && options.format !== 'oci-index') {
    throw new Error('pushImage: attestation is only supported for oci-index');
  }
  const flavour = options.format.startsWith('oci') ? 'oci' : 'docker';
  const build = (platform: ImagePlatform): BuiltManifest =>
    buildManifest({
      flavour,
      platform,
      layerText: `pullguard test image\nrepository=${options.repository}\nplatform=${platformText(platform)}\nsalt=${options.salt ?? ''}\n`,
    });

  const http = harnessHttp(reg.caPem);
  try {
    const authorization = await pushAuthorization(reg, options.repository, http);
    const session: PushSession = { reg, http, repository: options.repository, authorization };
    const reference = `${reg.host}/${options.repository}:${firstTag}`;

    if (options.format === 'oci-manifest' || options.format === 'docker-manifest') {
      const built = build(platforms[0] ?? { os: 'linux', architecture: 'amd64' });
      await pushManifestWithBlobs(session, built, options.tags);
      return { reference, digest: built.manifest.digest, mediaType: built.mediaType };
    }

    const entries: IndexEntry[] = platforms.map((platform) => ({ manifest: build(platform), platform }));
    // Children are independent; pushing them concurrently roughly halves the time of a multi-arch push.
    await Promise.all(entries.map((e) => pushManifestWithBlobs(session, e.manifest, [e.manifest.manifest.digest])));
    let attestationDigest: string | undefined;
    const firstChild = entries[0];
    if (options.attestation === true && firstChild !== undefined) {
      const attestation = buildAttestation(firstChild.manifest.manifest.digest);
      await pushManifestWithBlobs(session, attestation, [attestation.manifest.digest]);
      attestationDigest = attestation.manifest.digest;
      entries.push({
        manifest: attestation,
        platform: { os: 'unknown', architecture: 'unknown' },
        annotations: {
          'vnd.docker.reference.digest': firstChild.manifest.manifest.digest,
          'vnd.docker.reference.type': 'attestation-manifest',
        },
      });
    }
    const { index, mediaType } = buildIndex(flavour, entries);
    for (const tag of options.tags) await putManifest(session, tag, index, mediaType);
    return {
      reference,
      digest: index.digest,
      mediaType,
      children: entries
        .filter((e) => e.manifest.manifest.digest !== attestationDigest)
        .map((e) => ({ digest: e.manifest.manifest.digest, platform: { ...e.platform } })),
      ...(attestationDigest === undefined ? {} : { attestationDigest }),
    };
  } finally {
    await http.close();
  }
}

interface PushSession {
  readonly reg: RegistryHandle;
  readonly http: HarnessHttp;
  readonly repository: string;
  readonly authorization: string | undefined;
}

async function pushManifestWithBlobs(
  session: PushSession,
  built: BuiltManifest,
  references: readonly string[],
): Promise<void> {
  await Promise.all(built.blobs.map((blob) => uploadBlob(session, blob)));
  for (const reference of references) await putManifest(session, reference, built.manifest, built.mediaType);
}

/** Monolithic upload: POST /blobs/uploads/ then PUT <location>&digest=… (distribution-spec "push"). */
async function uploadBlob(session: PushSession, blob: Blob): Promise<void> {
  const base = `${session.reg.url}/v2/${session.repository}/blobs`;
  const exists = await session.http.send(`${base}/${blob.digest}`, { method: 'HEAD', headers: authHeaders(session) });
  if (exists.status === 200) return;
  const started = await session.http.send(`${base}/uploads/`, { method: 'POST', headers: authHeaders(session) });
  const location = headerValue(started, 'location');
  if (started.status !== 202 || location === undefined)
    throw pushError('blob upload start', started.status, started.body);
  const target = new URL(location, session.reg.url);
  target.searchParams.set('digest', blob.digest);
  const put = await session.http.send(target.toString(), {
    method: 'PUT',
    headers: {
      ...authHeaders(session),
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(blob.bytes.length),
    },
    body: blob.bytes,
  });
  if (put.status !== 201) throw pushError(`blob upload ${blob.digest}`, put.status, put.body);
}

async function putManifest(session: PushSession, reference: string, manifest: Blob, mediaType: string): Promise<void> {
  const answer = await session.http.send(`${session.reg.url}/v2/${session.repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: { ...authHeaders(session), 'Content-Type': mediaType },
    body: manifest.bytes,
  });
  if (answer.status !== 201)
    throw pushError(`manifest PUT ${session.repository}:${reference}`, answer.status, answer.body);
  const stored = headerValue(answer, 'docker-content-digest');
  if (stored !== undefined && stored !== manifest.digest) {
    throw new Error(`pushImage: registry stored ${stored} but the harness computed ${manifest.digest}`);
  }
}

/** alice's Authorization header value: Basic for htpasswd, a push-scoped token in token mode. */
export async function pushAuthorization(
  reg: RegistryHandle,
  repository: string,
  http: HarnessHttp,
): Promise<string | undefined> {
  const password = reg.users['alice'];
  if (reg.mode === 'plain') return undefined;
  if (password === undefined) throw new Error('pushImage: the registry has no user alice');
  const basic = `Basic ${Buffer.from(`alice:${password}`).toString('base64')}`;
  if (reg.mode === 'basic') return basic;
  if (reg.tokenServer === undefined) throw new Error('pushImage: token-mode registry without token server');
  const url = new URL(reg.tokenServer.url);
  url.searchParams.set('service', TOKEN_SERVICE);
  url.searchParams.set('scope', `repository:${repository}:pull,push`);
  const answer = await http.send(url.toString(), { headers: { Authorization: basic } });
  const parsed: unknown = answer.status === 200 ? JSON.parse(answer.body.toString('utf8')) : undefined;
  if (typeof parsed !== 'object' || parsed === null || !('token' in parsed) || typeof parsed.token !== 'string') {
    throw new Error(`pushImage: token request for alice failed with HTTP ${answer.status}`);
  }
  return `Bearer ${parsed.token}`;
}

function authHeaders(session: PushSession): Record<string, string> {
  return session.authorization === undefined ? {} : { Authorization: session.authorization };
}

function pushError(what: string, status: number, body: Buffer): Error {
  return new Error(`pushImage: ${what} failed with HTTP ${status}: ${body.toString('utf8').slice(0, 500)}`);
}

function platformText(p: ImagePlatform): string {
  return p.variant === undefined ? `${p.os}/${p.architecture}` : `${p.os}/${p.architecture}/${p.variant}`;
}
