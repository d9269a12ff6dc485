/**
 * The manifest check of SPEC §1.3: one `HEAD /v2/<path>/manifests/<digest ?? tag>` with all four manifest types in
 * `Accept`, a GET only when HEAD is unsupported or the index body is needed for the platform check, and exactly one
 * Resolution out. Decisions key on the HTTP status first; error codes only refine (reference/registry.md §2.3).
 */
import { createHash } from 'node:crypto';
import { sendAuthorized, type RegistryClientDeps } from './authorized-request.js';
import type { AuthScheme, AuthTarget } from './auth.js';
import type { TransportResponse } from './http-transport.js';
import { parseIndexEntries, type IndexCache } from './index-cache.js';
import { errorCodes } from './registry-json.js';
import type { Found, Resolution, Unauthorized } from './resolution.js';
import { rateLimited, single, unexpectedStatus } from './status-classification.js';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
/** Without the OCI types Distribution and GHCR answer 404 for OCI indexes (reference/registry.md §2.2). */
export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST].join(', ');
const INDEX_TYPES: ReadonlySet<string> = new Set([OCI_INDEX, DOCKER_LIST]);
const NOT_FOUND_CODES = new Set(['MANIFEST_UNKNOWN', 'NAME_UNKNOWN', 'TAG_INVALID', 'NOT_FOUND', 'BLOB_UNKNOWN']);
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,256}$/;
const MEDIA_TYPE = /^[\w.+-]{1,127}\/[\w.+-]{1,127}$/;

export interface ManifestCheckOptions {
  readonly target: AuthTarget;
  readonly digest?: string;
  readonly tag: string;
  readonly wantIndex: boolean;
  /** Docker Hub answers 401 for missing repositories, so an anonymous refusal there is ambiguous. */
  readonly dockerHub: boolean;
}

export interface ManifestCheckDeps extends RegistryClientDeps {
  readonly indexes: IndexCache;
}

export async function checkManifest(deps: ManifestCheckDeps, options: ManifestCheckOptions): Promise<Resolution> {
  const { target } = options;
  const path = `/v2/${target.repository}/manifests/${options.digest ?? options.tag}`;
  const headers = { accept: MANIFEST_ACCEPT };
  let result = await sendAuthorized(deps, target, { path, method: 'HEAD', headers });
  if (result.ok && (result.response.status === 405 || result.response.status === 501 || result.response.status === 400)) {
    // HEAD unsupported, or an error whose code only a body can tell: ask again with GET.
    result = await sendAuthorized(deps, target, { path, method: 'GET', headers, readBody: true });
  }
  if (!result.ok) return withHubAmbiguity(result.resolution, options.dockerHub);
  const { response, scheme } = result;
  const status = response.status;
  if (status >= 200 && status <= 299) return found(deps, options, response);
  if (status === 401 || status === 403) return withHubAmbiguity(refusal(options, scheme, status), options.dockerHub);
  const codes = errorCodes(response.body);
  if (status === 429 || codes.includes('TOOMANYREQUESTS')) return rateLimited(response.headers);
  if (status === 404 || (status === 400 && codes.some((c) => NOT_FOUND_CODES.has(c)))) {
    const missing = options.digest !== undefined ? 'digest' : codes.includes('NAME_UNKNOWN') ? 'repository' : 'tag';
    return { outcome: 'not-found', missing };
  }
  if (status === 400 && codes.includes('NAME_INVALID')) return { outcome: 'invalid', reason: 'the registry rejects the repository name' };
  return unexpectedStatus(status, 'registry');
}

async function found(deps: ManifestCheckDeps, options: ManifestCheckOptions, response: TransportResponse): Promise<Resolution> {
  const mediaType = contentType(response);
  let digest = validDigest(single(response.headers['docker-content-digest']));
  if (digest === undefined && response.body !== undefined) digest = sha256(response.body);
  const base: Found = {
    outcome: 'found',
    ...(digest !== undefined ? { digest } : {}),
    ...(mediaType !== undefined ? { mediaType } : {}),
  };
  if (!options.wantIndex || mediaType === undefined || !INDEX_TYPES.has(mediaType)) return base;
  const cached = digest !== undefined ? deps.indexes.get(digest) : undefined;
  if (cached) return { ...base, index: cached };
  let body = response.body;
  if (body === undefined) {
    // By digest when we know it, so the body is the one HEAD described even if the tag moves meanwhile.
    const ref = digest ?? options.digest ?? options.tag;
    const path = `/v2/${options.target.repository}/manifests/${ref}`;
    const got = await sendAuthorized(deps, options.target, { path, method: 'GET', headers: { accept: MANIFEST_ACCEPT }, readBody: true });
    if (!got.ok) return got.resolution;
    if (got.response.status < 200 || got.response.status > 299) return unexpectedStatus(got.response.status, 'registry');
    body = got.response.body;
    if (body !== undefined) digest ??= sha256(body);
  }
  const entries = parseIndexEntries(body);
  if (entries === undefined) return base;
  if (digest !== undefined) deps.indexes.set(digest, entries);
  return { ...base, ...(digest !== undefined ? { digest } : {}), index: entries };
}

/** SPEC §1.3: who was refused decides the reason. */
function refusal(options: ManifestCheckOptions, scheme: AuthScheme, status: number): Unauthorized {
  const credential = options.target.credential;
  if (!credential) return { outcome: 'unauthorized', reason: 'anonymous-refused' };
  // A Basic registry that still answers 401 did not accept the username/password (htpasswd, ECR); a 403, or a
  // 401 after a token was issued, means authenticated but not allowed (private or nonexistent).
  const reason = scheme === 'basic' && status === 401 ? 'credentials-rejected' : 'no-access';
  return { outcome: 'unauthorized', reason, credentialSource: credential.source };
}

function withHubAmbiguity(resolution: Resolution, dockerHub: boolean): Resolution {
  if (dockerHub && resolution.outcome === 'unauthorized' && resolution.reason === 'anonymous-refused') {
    return { ...resolution, ambiguousMissing: true };
  }
  return resolution;
}

function contentType(response: TransportResponse): string | undefined {
  const value = single(response.headers['content-type'])?.split(';')[0]?.trim().toLowerCase();
  return value !== undefined && MEDIA_TYPE.test(value) ? value : undefined;
}

function validDigest(value: string | undefined): string | undefined {
  return value !== undefined && DIGEST.test(value) ? value : undefined;
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
