/**
 * The manifest check of docs/design.md §1.3: one `HEAD /v2/<path>/manifests/<digest ?? tag>` with all four manifest
 * types in `Accept`, a GET only when HEAD is unsupported or the index body is needed for the platform check, and
 * exactly one Resolution out. Decisions key on the HTTP status first; error codes only refine (the distribution spec's
 * error codes: https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes).
 */
import { sendAuthorized, type AuthorizedResult, type RegistryClientDeps } from '../auth/authorized-request.js';
import type { AuthScheme, AuthTarget } from '../auth/authenticator.js';
import type { TransportResponse } from '../transport/http-transport.js';
import { indexPlatformsOf, type IndexCache } from './index-cache.js';
import { UNREAD_INDEX_PLATFORMS } from '../../platform/index-platforms.js';
import { declaredLength } from '../transport/body-reader.js';
import {
  INDEX_TYPES,
  MANIFEST_ACCEPT,
  MANIFEST_TYPES,
  MAX_PARSED_MANIFEST_BYTES,
  describedManifest,
  verifyManifestBody,
} from './manifest-body.js';
import { RegistryError } from '../transport/registry-error.js';
import { errorCodes } from '../transport/registry-json.js';
import { screenIndex } from '../transport/registry-text.js';
import { secretsInPlay } from '../transport/secrets-in-play.js';
import type { Found, Resolution, Unauthorized } from '../../resolution/resolution.js';
import { rateLimited, single, unexpectedStatus } from '../transport/status-classification.js';

const NOT_FOUND_CODES = new Set(['MANIFEST_UNKNOWN', 'NAME_UNKNOWN', 'TAG_INVALID', 'NOT_FOUND', 'BLOB_UNKNOWN']);

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
  const path = `/v2/${target.repositoryPath}/manifests/${options.digest ?? options.tag}`;
  const headers = { accept: MANIFEST_ACCEPT };
  let result: AuthorizedResult = await sendAuthorized(deps, target, { path, method: 'HEAD', headers });
  if (result.ok && needsGet(result.response)) {
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
  if (status === 400 && codes.includes('NAME_INVALID')) {
    return { outcome: 'invalid', reason: 'the registry rejects the repository name' };
  }
  return unexpectedStatus(status, 'registry');
}

/**
 * GET after HEAD when HEAD is unsupported (405/501), when a 400 needs its error code, or (as containerd does) when
 * a 2xx HEAD lacks a digest or a manifest media type.
 */
function needsGet(response: TransportResponse): boolean {
  const { status } = response;
  if (status === 405 || status === 501 || status === 400) return true;
  if (status < 200 || status > 299) return false;
  const described = describedManifest(response.headers);
  return (
    described.digest === undefined || described.mediaType === undefined || !MANIFEST_TYPES.has(described.mediaType)
  );
}

async function found(
  deps: ManifestCheckDeps,
  options: ManifestCheckOptions,
  response: TransportResponse,
): Promise<Resolution> {
  const described = describedManifest(response.headers);
  const { mediaType } = described;
  let { digest } = described;
  // Parsed once (verifyManifestBody) and read within this synchronous stretch, then dropped: only the compact
  // platforms of an index outlive it.
  let manifest: unknown;
  if (response.body !== undefined) {
    const verified = verifyManifestBody(response.body, digest, options.digest);
    if (!verified.ok) return { outcome: 'unreachable', cause: 'protocol', detail: verified.detail };
    digest = verified.digest;
    manifest = verified.manifest;
  }
  const base: Found = {
    outcome: 'found',
    ...(digest !== undefined ? { digest } : {}),
    ...(mediaType !== undefined ? { mediaType } : {}),
  };
  if (!options.wantIndex || mediaType === undefined || !INDEX_TYPES.has(mediaType)) return base;
  const cached = digest !== undefined ? deps.indexes.get(digest) : undefined;
  if (cached) return { ...base, index: cached };
  if (response.body === undefined) {
    const got = await indexBody(deps, options, response, digest);
    if (got.kind === 'resolution') return got.resolution;
    manifest = got.manifest;
  }
  if (manifest === undefined) {
    // Over the parse cap: found, and its platforms left unread (cached too: a digest names immutable content).
    if (digest !== undefined) deps.indexes.set(digest, UNREAD_INDEX_PLATFORMS);
    return { ...base, index: UNREAD_INDEX_PLATFORMS };
  }
  const parsed = indexPlatformsOf(manifest);
  if (parsed === undefined)
    return { outcome: 'unreachable', cause: 'protocol', detail: 'registry sent an unreadable image index' };
  // Screened before it is cached: a later check, with other secrets in play, reuses the platforms as they are.
  const index = screenIndex(parsed, options.target.secrets ?? secretsInPlay([options.target.credential]));
  if (index === undefined) return base;
  if (digest !== undefined) deps.indexes.set(digest, index);
  return { ...base, index };
}

type IndexBody =
  | { readonly kind: 'manifest'; readonly manifest?: Record<string, unknown> }
  | { readonly kind: 'resolution'; readonly resolution: Resolution };

/**
 * The index body HEAD described, by digest (so it is the one HEAD described even if the tag moves meanwhile), read
 * only up to the parse cap: a larger one is neither downloaded nor parsed (`manifest` absent).
 */
async function indexBody(
  deps: ManifestCheckDeps,
  options: ManifestCheckOptions,
  head: TransportResponse,
  digest: string | undefined,
): Promise<IndexBody> {
  const declared = declaredLength(single(head.headers['content-length']));
  if (declared !== undefined && declared > MAX_PARSED_MANIFEST_BYTES) return { kind: 'manifest' };
  const path = `/v2/${options.target.repositoryPath}/manifests/${digest ?? options.tag}`;
  let got: AuthorizedResult;
  try {
    got = await sendAuthorized(deps, options.target, {
      path,
      method: 'GET',
      headers: { accept: MANIFEST_ACCEPT },
      readBody: true,
      maxBodyBytes: MAX_PARSED_MANIFEST_BYTES,
    });
  } catch (error) {
    if (error instanceof RegistryError && error.kind === 'too-large') return { kind: 'manifest' };
    throw error;
  }
  if (!got.ok) return { kind: 'resolution', resolution: got.resolution };
  if (got.response.status < 200 || got.response.status > 299 || got.response.body === undefined) {
    return { kind: 'resolution', resolution: unexpectedStatus(got.response.status, 'registry') };
  }
  const verified = verifyManifestBody(got.response.body, digest, options.digest);
  if (!verified.ok)
    return { kind: 'resolution', resolution: { outcome: 'unreachable', cause: 'protocol', detail: verified.detail } };
  return verified.manifest === undefined ? { kind: 'manifest' } : { kind: 'manifest', manifest: verified.manifest };
}

/** docs/design.md §1.3: who was refused decides the reason. */
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
