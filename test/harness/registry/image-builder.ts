import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type { ImagePlatform } from './types.js';

/** Media types used by the harness (OCI image-spec and Docker image manifest v2 schema 2). */
export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  inToto: 'application/vnd.in-toto+json',
} as const;

/** A content-addressed blob. */
export interface Blob {
  readonly digest: string;
  readonly bytes: Buffer;
}

/** A single-platform image: blobs to upload and the manifest that references them. */
export interface BuiltManifest {
  readonly blobs: readonly Blob[];
  readonly manifest: Blob;
  readonly mediaType: string;
}

/** Inputs of `buildManifest`. */
export interface ManifestSpec {
  readonly flavour: 'oci' | 'docker';
  readonly platform: ImagePlatform;
  /** Text that makes the layer unique (repository, platform, salt). */
  readonly layerText: string;
}

/** sha256 digest string of `bytes`. Pure. */
export function digestOf(bytes: Buffer): string {
  return `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;
}

/** Wraps bytes as a blob. Pure. */
function blobOf(bytes: Buffer): Blob {
  return { digest: digestOf(bytes), bytes };
}

/** JSON-encodes `value` as a blob (the exact bytes are what the registry hashes). Pure. */
function jsonBlob(value: unknown): Blob {
  return blobOf(Buffer.from(JSON.stringify(value)));
}

/**
 * A one-file tar archive with a hand-written ustar header. Deterministic: mtime 0, uid/gid 0. Pure.
 * Layout per POSIX ustar: 512-byte header, content padded to 512, two zero blocks.
 */
export function singleFileTar(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512, 0);
  const put = (text: string, offset: number, length: number): void => {
    header.write(text.slice(0, length), offset, length, 'ascii');
  };
  const octal = (value: number, length: number): string => `${value.toString(8).padStart(length - 1, '0')}\0`;
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(content.length, 12), 124, 12);
  put(octal(0, 12), 136, 12);
  put('        ', 148, 8); // checksum is computed with its own field set to spaces
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  put('root', 265, 32);
  put('root', 297, 32);
  let sum = 0;
  for (const byte of header) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512, 0);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024, 0)]);
}

/** Builds layer, config and manifest for one platform. Pure and deterministic. */
export function buildManifest(spec: ManifestSpec): BuiltManifest {
  const tar = singleFileTar('hello.txt', Buffer.from(spec.layerText));
  // Node's gzip header has mtime 0, so the compressed bytes are stable across runs.
  const layer = blobOf(zlib.gzipSync(tar, { level: 9 }));
  const { platform } = spec;
  const config = jsonBlob({
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant === undefined ? {} : { variant: platform.variant }),
    created: '1970-01-01T00:00:00Z',
    config: { Cmd: ['/hello.txt'] },
    rootfs: { type: 'layers', diff_ids: [digestOf(tar)] },
    history: [{ created: '1970-01-01T00:00:00Z', created_by: 'pullguard test harness' }],
  });
  const oci = spec.flavour === 'oci';
  const mediaType = oci ? MEDIA_TYPES.ociManifest : MEDIA_TYPES.dockerManifest;
  const manifest = jsonBlob({
    schemaVersion: 2,
    mediaType,
    config: {
      mediaType: oci ? MEDIA_TYPES.ociConfig : MEDIA_TYPES.dockerConfig,
      size: config.bytes.length,
      digest: config.digest,
    },
    layers: [
      {
        mediaType: oci ? MEDIA_TYPES.ociLayer : MEDIA_TYPES.dockerLayer,
        size: layer.bytes.length,
        digest: layer.digest,
      },
    ],
  });
  return { blobs: [layer, config], manifest, mediaType };
}

/**
 * A BuildKit-style attestation manifest for `subject` (an in-toto layer, unknown/unknown config). Pure.
 * BuildKit lists it in the index with platform unknown/unknown and vnd.docker.reference.* annotations.
 */
export function buildAttestation(subjectDigest: string): BuiltManifest {
  const statement = jsonBlob({
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: 'https://slsa.dev/provenance/v0.2',
    subject: [{ name: 'pullguard-test', digest: { sha256: subjectDigest.replace(/^sha256:/, '') } }],
    predicate: { builder: { id: 'pullguard test harness' } },
  });
  const config = jsonBlob({
    architecture: 'unknown',
    os: 'unknown',
    config: {},
    rootfs: { type: 'layers', diff_ids: [statement.digest] },
  });
  const manifest = jsonBlob({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, size: config.bytes.length, digest: config.digest },
    layers: [
      {
        mediaType: MEDIA_TYPES.inToto,
        size: statement.bytes.length,
        digest: statement.digest,
        annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' },
      },
    ],
  });
  return { blobs: [statement, config], manifest, mediaType: MEDIA_TYPES.ociManifest };
}

/** One entry of an index/list. */
export interface IndexEntry {
  readonly manifest: BuiltManifest;
  readonly platform: ImagePlatform;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Builds an OCI index or Docker manifest list over `entries`. Pure. */
export function buildIndex(
  flavour: 'oci' | 'docker',
  entries: readonly IndexEntry[],
): { index: Blob; mediaType: string } {
  const mediaType = flavour === 'oci' ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.dockerList;
  const index = jsonBlob({
    schemaVersion: 2,
    mediaType,
    manifests: entries.map((e) => ({
      mediaType: e.manifest.mediaType,
      size: e.manifest.manifest.bytes.length,
      digest: e.manifest.manifest.digest,
      platform: {
        architecture: e.platform.architecture,
        os: e.platform.os,
        ...(e.platform.variant === undefined ? {} : { variant: e.platform.variant }),
      },
      ...(e.annotations === undefined ? {} : { annotations: e.annotations }),
    })),
  });
  return { index, mediaType };
}
