/**
 * What the hostile registry and client of R9 and P5H send, as pure, deterministic generators with every size a
 * parameter: tag lists, image indexes (ordinary, capped-worst-case, multi-megabyte), and JSON nested millions of
 * levels deep. Deterministic, so the registry can serve a GET by digest by generating the same bytes again.
 */
import type { ServedManifest } from './hostile-registry.js';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** Distribution refuses manifests above 4 MiB, and pullguard reads no registry body beyond that. */
export const REGISTRY_BODY_MAX = 4 * 1024 * 1024;

/** `tags/list` bodies of `perPage` tags each. */
export function tagListPages(name: string, tags: readonly string[], perPage: number): Buffer[] {
  const pages: Buffer[] = [];
  for (let i = 0; i < tags.length; i += perPage)
    pages.push(Buffer.from(JSON.stringify({ name, tags: tags.slice(i, i + perPage) })));
  return pages;
}

/** `count` distinct tags of exactly `length` characters (longer than the tag grammar's 128 allows: a hostile registry). */
export function longTags(count: number, length: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const head = `${i}.0.0-`;
    return head + 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(Math.ceil(length / 36)).slice(0, length - head.length);
  });
}

/** About `count` tags shaped like the official `node` image's (`20.11.1-alpine3.19`, `lts-bookworm-slim`, …). */
export function nodeLikeTags(count: number): string[] {
  const flavours = [
    '',
    '-alpine',
    '-alpine3.18',
    '-alpine3.19',
    '-alpine3.20',
    '-bookworm',
    '-bookworm-slim',
    '-bullseye',
    '-bullseye-slim',
    '-buster',
    '-slim',
    '-stretch',
  ];
  const tags: string[] = [];
  for (let major = 0; tags.length < count; major++) {
    for (let minor = 0; minor < 25 && tags.length < count; minor++) {
      for (let patch = 0; patch < 6 && tags.length < count; patch++) {
        for (const flavour of flavours) if (tags.length < count) tags.push(`${major}.${minor}.${patch}${flavour}`);
      }
    }
    for (const flavour of flavours) tags.push(`${major}${flavour}`, `lts-${major}${flavour}`);
  }
  return tags.slice(0, count);
}

/** A tag of `length` characters (the grammar allows 128) that is a near miss of the node-like tags above. */
export function typoTag(length: number, seed = 0): string {
  return `${seed}20.11.1-bookworm-slim-`.padEnd(length, 'x').slice(0, length);
}

interface IndexEntrySpec {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly annotations?: Record<string, string>;
}

/** An OCI index over `entries`; child digests are unique per (seed, position) without hashing anything. */
function ociIndex(seed: number, entries: readonly IndexEntrySpec[]): ServedManifest {
  const manifests = entries.map((entry, i) => ({
    mediaType: OCI_MANIFEST,
    digest: `sha256:${seed.toString(16).padStart(32, '0')}${i.toString(16).padStart(32, '0')}`,
    size: 1024 + (i % 512),
    platform: {
      architecture: entry.architecture,
      os: entry.os,
      ...(entry.variant !== undefined ? { variant: entry.variant } : {}),
    },
    ...(entry.annotations ? { annotations: entry.annotations } : {}),
  }));
  return {
    body: Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests })),
    mediaType: OCI_INDEX,
  };
}

/** What `docker buildx` pushes for a common multi-arch image: five platforms, each with its attestation manifest. */
export function ordinaryIndex(seed: number): ServedManifest {
  const platforms: IndexEntrySpec[] = [
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm64', variant: 'v8' },
    { os: 'linux', architecture: 'arm', variant: 'v7' },
    { os: 'linux', architecture: 'ppc64le' },
    { os: 'linux', architecture: 's390x' },
  ];
  const attestations = platforms.map((_, i) => ({
    os: 'unknown',
    architecture: 'unknown',
    annotations: {
      'vnd.docker.reference.digest': `sha256:${seed.toString(16).padStart(32, '0')}${i.toString(16).padStart(32, '0')}`,
      'vnd.docker.reference.type': 'attestation-manifest',
    },
  }));
  return ociIndex(seed, [...platforms, ...attestations]);
}

/**
 * The worst case for what a cached result may keep: `platforms` distinct platforms whose os, architecture and
 * variant are each `stringLength` characters of `[a-z0-9]` (a server keeps only short, plain platform names: these
 * are kept as long as its caps allow), distinct from every other index's, so nothing can be shared between cached
 * results. The first entry is linux/amd64, so the platform check passes and the review allows. The registry
 * announces the longest digest the grammar allows (see {@link longestDigest}).
 */
export function cappedWorstCaseIndex(
  seed: number,
  options: { platforms: number; stringLength: number },
): ServedManifest {
  const field = (kind: string, j: number) =>
    `${kind}${seed.toString(36)}x${j}`.padEnd(options.stringLength, 'z').slice(0, options.stringLength);
  const entries: IndexEntrySpec[] = [{ os: 'linux', architecture: 'amd64' }];
  for (let j = 1; j < options.platforms; j++)
    entries.push({ os: field('o', j), architecture: field('a', j), variant: field('v', j) });
  return { ...ociIndex(seed, entries), digest: longestDigest(seed) };
}

/**
 * The longest digest pullguard keeps: 32 characters of algorithm and 128 of encoded value (src/registry/
 * manifest-body.ts); a client cannot check an algorithm it does not know and takes the digest as claimed.
 */
function longestDigest(seed: number): string {
  return `b3${'x'.repeat(30)}:${seed.toString(16).padStart(128, '0')}`;
}

/** A sha512 digest that encodes `seed` (image references accept sha256, sha384 and sha512). */
export function sha512DigestOf(seed: number): string {
  return `sha512:${seed.toString(16).padStart(128, '0')}`;
}

/** The seed of {@link sha512DigestOf}, or undefined for any other string. */
export function seedOfSha512Digest(digest: string): number | undefined {
  const match = /^sha512:([0-9a-f]{128})$/.exec(digest);
  return match ? parseInt(match[1] as string, 16) : undefined;
}

/**
 * A digest-correct index of about `bytes` bytes (never more than {@link REGISTRY_BODY_MAX}): `entries` entries whose
 * `variant` strings are as long as it takes to fill it. linux/amd64 is the last entry, so a platform match scans
 * them all.
 */
export function multiMegabyteIndex(seed: number, options: { entries: number; bytes: number }): ServedManifest {
  const bytes = Math.min(options.bytes, REGISTRY_BODY_MAX - 1024);
  const key = `${options.entries}/${bytes}`;
  let variantLength = variantLengths.get(key);
  if (variantLength === undefined) {
    // Size one index with a guess, then correct the guess by what each entry really weighs (digests vary in length).
    const guess = Math.max(1, Math.floor(bytes / options.entries) - 220);
    const measured = bigIndexOf(seed, options.entries, guess).body.length;
    variantLength = Math.max(1, guess + Math.floor((bytes - measured) / options.entries) - 1);
    variantLengths.set(key, variantLength);
  }
  return bigIndexOf(seed, options.entries, variantLength);
}

const variantLengths = new Map<string, number>();

function bigIndexOf(seed: number, entries: number, variantLength: number): ServedManifest {
  const specs: IndexEntrySpec[] = Array.from({ length: entries - 1 }, (_, j) => ({
    os: 'linux',
    architecture: 'arm64',
    variant: `v${j}-`.padEnd(variantLength, 'q'),
  }));
  specs.push({ os: 'linux', architecture: 'amd64' });
  return ociIndex(seed, specs);
}

/** `{"a":[[[…]]]}` of exactly `bytes` bytes (`bytes` ≥ 8): a valid JSON object nested about bytes/2 levels deep. */
export function deepJsonObject(bytes: number, key = 'a'): Buffer {
  const prefix = `{"${key}":`;
  const depth = Math.floor((bytes - prefix.length - 1) / 2);
  const text = `${prefix}${'['.repeat(depth)}${']'.repeat(depth)}}`;
  return Buffer.from(text.padEnd(bytes, ' '));
}

/**
 * A Deployment CREATE AdmissionReview of exactly `bytes` bytes whose object's `spec.template` is an array nested
 * about bytes/2 levels deep: valid JSON, within the webhook's body limit.
 */
export function deepAdmissionReview(bytes: number, uid: string): Buffer {
  const head = JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      resource: { group: 'apps', version: 'v1', resource: 'deployments' },
      namespace: 'shop',
      operation: 'CREATE',
      userInfo: { username: 'bench' },
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'deep', namespace: 'shop' },
        spec: { template: 0 },
      },
    },
  });
  const [before, after] = head.split('"template":0') as [string, string];
  const depth = Math.floor((bytes - before.length - after.length - '"template":'.length) / 2);
  const text = `${before}"template":${'['.repeat(depth)}${']'.repeat(depth)}${after}`;
  return Buffer.from(text.padEnd(bytes, ' '));
}
