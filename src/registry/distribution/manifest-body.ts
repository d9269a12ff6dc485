/**
 * What a manifest response tells: its media type and digest, and for a body, whether it is a manifest at all and
 * whether its bytes match the digest the registry claims (distribution-spec: clients MUST verify). Pure.
 */
import { createHash } from 'node:crypto';
import { isRecord } from '../../runtime/json-shape.js';
import type { ResponseHeaders } from '../transport/http-transport.js';
import { jsonDepthExceeds } from '../../runtime/json-depth.js';
import { MAX_REGISTRY_JSON_DEPTH, parseRegistryJson } from '../transport/registry-json.js';
import { single } from '../transport/status-classification.js';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
/** Without the OCI types Distribution and GHCR answer 404 for OCI indexes (docs/design.md §1.3). */
export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST].join(', ');
export const MANIFEST_TYPES: ReadonlySet<string> = new Set([OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST]);
export const INDEX_TYPES: ReadonlySet<string> = new Set([OCI_INDEX, DOCKER_LIST]);

/**
 * At most 32 characters of algorithm and 128 of encoded digest: the OCI image spec's registered algorithms are
 * sha256 and blake3 (64 hex characters) and sha512 (128). A digest may be kept in a cached result, so a registry
 * must not choose how long it is.
 */
const DIGEST = /^(?=[a-z0-9.+_-]{1,32}:)[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,128}$/;
const MEDIA_TYPE = /^[\w.+-]{1,127}\/[\w.+-]{1,127}$/;
/** The known types map to these shared constants, so a cached result never holds its own copy. */
const KNOWN_TYPES: ReadonlyMap<string, string> = new Map([...MANIFEST_TYPES].map((type) => [type, type]));

/**
 * Media type and digest from the headers, each only when well-formed. Both may end up in a cached result, so they
 * are own copies: V8 keeps a trimmed or split piece of a long string as a view of it, and a registry could send
 * kilobytes of header around the few characters kept.
 */
export function describedManifest(headers: ResponseHeaders): { mediaType?: string; digest?: string } {
  const mediaType = single(headers['content-type'])?.split(';')[0]?.trim().toLowerCase();
  const digest = single(headers['docker-content-digest'])?.trim();
  return {
    ...(mediaType !== undefined && MEDIA_TYPE.test(mediaType)
      ? { mediaType: KNOWN_TYPES.get(mediaType) ?? ownCopy(mediaType) }
      : {}),
    ...(digest !== undefined && DIGEST.test(digest) ? { digest: ownCopy(digest) } : {}),
  };
}

/** A flat copy of an ASCII string (both callers checked that it is). */
function ownCopy(ascii: string): string {
  return Buffer.from(ascii, 'latin1').toString('latin1');
}

/**
 * Manifest bodies up to this size are parsed; larger ones (a registry may send up to 4 MiB) are only hashed and
 * scanned. Parsing is one synchronous `JSON.parse` that costs tens of milliseconds of event loop per MiB of index
 * entries, while real manifests and indexes are a few KiB (an index lists one entry per platform and attestation:
 * even a thousand entries stay under this cap). An index over it is found but its platforms are not checked.
 */
export const MAX_PARSED_MANIFEST_BYTES = 512 * 1024;

export type VerifiedBody =
  /** `manifest`: the parsed body, absent when it was over {@link MAX_PARSED_MANIFEST_BYTES} and not parsed. */
  | { readonly ok: true; readonly digest: string; readonly manifest?: Record<string, unknown> }
  | { readonly ok: false; readonly detail: string };

/**
 * The body must be a JSON object, nested no deeper than registry JSON ever is, whose sha256 equals the digest the
 * registry claims and, when resolving by digest, the one we asked for. Digests of other algorithms cannot be
 * checked here and are taken as claimed. The body is parsed here, once, when small enough; callers read the
 * returned `manifest`.
 */
export function verifyManifestBody(
  body: Buffer,
  claimed: string | undefined,
  requested: string | undefined,
): VerifiedBody {
  const shape = body.length <= MAX_PARSED_MANIFEST_BYTES ? parsedObject(body) : scannedObject(body);
  if (!shape.ok) return shape;
  const actual = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  for (const expected of [claimed, requested]) {
    if (expected !== undefined && expected.startsWith('sha256:') && expected !== actual) {
      return { ok: false, detail: 'manifest does not match its digest' };
    }
  }
  const digest = claimed && !claimed.startsWith('sha256:') ? claimed : actual;
  return shape.manifest === undefined ? { ok: true, digest } : { ok: true, digest, manifest: shape.manifest };
}

type BodyShape =
  { readonly ok: true; readonly manifest?: Record<string, unknown> } | { readonly ok: false; readonly detail: string };

const TOO_DEEP: BodyShape = { ok: false, detail: 'registry sent a manifest nested too deeply' };
const NOT_JSON: BodyShape = { ok: false, detail: 'registry sent a manifest that is not JSON' };

function parsedObject(body: Buffer): BodyShape {
  const parsed = parseRegistryJson(body);
  if (!parsed.ok && parsed.problem === 'too-deep') return TOO_DEEP;
  if (!parsed.ok || !isRecord(parsed.value)) return NOT_JSON;
  return { ok: true, manifest: parsed.value };
}

/** A large body, checked without parsing: it opens an object and nests no deeper than registry JSON may. */
function scannedObject(body: Buffer): BodyShape {
  const start = body.findIndex((byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09);
  if (body[start] !== 0x7b) return NOT_JSON; // {
  return jsonDepthExceeds(body, MAX_REGISTRY_JSON_DEPTH) ? TOO_DEEP : { ok: true };
}
