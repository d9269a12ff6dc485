/**
 * R9's scenarios: an ordinary registry (the same-run baseline) and the hostile inputs of issue 13, each a list of
 * request bodies sent one after another to a fresh pullguard. The hostile registry (hostile-registry.ts) serves
 * everything a registry sends; the 40,000-character host needs no server at all (the keyring lookup happens before
 * any connection, and the system resolver refuses a name that long without sending a query).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pushImage } from '../../test/harness/registry/index.js';
import { deploymentReview } from './admission-review.js';
import type { BenchEnv } from './environment.js';
import {
  deepAdmissionReview,
  deepJsonObject,
  longTags,
  multiMegabyteIndex,
  nodeLikeTags,
  OCI_INDEX,
  OCI_MANIFEST,
  REGISTRY_BODY_MAX,
  tagListPages,
  typoTag,
} from './hostile-content.js';
import { startHostileRegistry, type HostileRepository, type ServedManifest } from './hostile-registry.js';

/** Every size of the scenarios, in one place. */
const R9_SIZES = {
  longTags: 10_000,
  longTagLength: 2_000,
  /** 2,000 tags of 2,000 characters: just under the 4 MiB pullguard reads of one page; 5 pages, its page limit. */
  longTagsPerPage: 2_000,
  nodeTags: 11_000,
  nodeTagsPerPage: 2_200,
  /** The tag grammar's maximum. */
  typoLength: 128,
  bigIndexEntries: 5_000,
  bigIndexBytes: 3_800_000,
  bigIndexReviews: 3,
  bigIndexImagesPerReview: 8,
  deepManifestBytes: REGISTRY_BODY_MAX - 1024,
  /** Under the webhook's body limit, so it is scanned, not refused for its size. */
  deepReviewBytes: 7_000_000,
  hostLength: 40_000,
  /** Reviews of each scenario (distinct images, so nothing is answered from a cache). */
  reviews: 2,
} as const;

export interface R9Scenario {
  readonly id: string;
  readonly title: string;
  readonly bodies: readonly (string | Buffer)[];
}

export interface R9Setup {
  /** The baseline first. */
  readonly scenarios: readonly R9Scenario[];
  /** Reviews of an ordinary image, sent before each window (TLS connection, JIT, caches of the ordinary path). */
  readonly warmUp: string;
  /** pullguard's config for every R9 server. */
  readonly config: Record<string, unknown>;
  close(): Promise<void>;
}

export async function setUpR9(env: BenchEnv): Promise<R9Setup> {
  const s = R9_SIZES;
  const plain = env.plain.host;
  const ordinaryTags = ['1.0.0', '1.0.1', '1.1.0', '1.2.0', '2.0.0', '2.1.0', '3.0.0', 'warm'];
  await pushImage(env.plain, {
    repository: 'r9/app',
    tags: ordinaryTags,
    format: 'oci-index',
    attestation: true,
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
      { os: 'linux', architecture: 'ppc64le' },
      { os: 'linux', architecture: 's390x' },
    ],
  });

  const bigIndexes = memo((tag: string) =>
    multiMegabyteIndex(seedOf(tag), { entries: s.bigIndexEntries, bytes: s.bigIndexBytes }),
  );
  const deepBody = deepJsonObject(s.deepManifestBytes);
  const deepManifest = (tag: string): ServedManifest =>
    tag.startsWith('index')
      ? { body: deepBody, mediaType: OCI_INDEX }
      : { body: deepBody, mediaType: OCI_MANIFEST, headWithoutDigest: true };
  const repositories = new Map<string, HostileRepository>([
    ['tags/long', { tagPages: tagListPages('tags/long', longTags(s.longTags, s.longTagLength), s.longTagsPerPage) }],
    ['tags/node', { tagPages: tagListPages('tags/node', nodeLikeTags(s.nodeTags), s.nodeTagsPerPage) }],
    // Half of them HEAD without a digest: the client must then download and hash the whole body (the worst case);
    // for the others HEAD names the size, and an index over pullguard's parse cap is never downloaded.
    [
      'index/big',
      { manifest: (tag: string) => ({ ...bigIndexes(tag), headWithoutDigest: Number(tag.split('-')[1]) % 2 === 1 }) },
    ],
    ['deep/app', { manifest: deepManifest }],
  ]);
  // Anything over pullguard's read limits would test the limit, not the content: check the sizes first.
  for (const [name, repository] of repositories)
    for (const page of repository.tagPages ?? []) within(`${name} tags page`, page.length, REGISTRY_BODY_MAX);
  within('deep manifest', deepBody.length, REGISTRY_BODY_MAX);
  within('big index', bigIndexes('t0-0').body.length, REGISTRY_BODY_MAX);
  within('deep AdmissionReview', s.deepReviewBytes, WEBHOOK_BODY_LIMIT);
  const hostile = await startHostileRegistry(repositories);
  const h = hostile.host;

  const dockerConfigPath = path.join(env.workDir, 'r9-docker-config.json');
  const auth = Buffer.from('bench:bench-password').toString('base64');
  await writeFile(dockerConfigPath, JSON.stringify({ auths: { '*b.test': { auth } } }), { mode: 0o600 });

  const reviews = (name: string, imagesOf: (i: number) => string[]) =>
    Array.from({ length: s.reviews }, (_, i) => deploymentReview({ images: imagesOf(i), name: `${name}-${i}` }));
  const bigIndexTags = Array.from({ length: s.bigIndexReviews }, (_, r) =>
    Array.from({ length: s.bigIndexImagesPerReview }, (_, i) => `t${r}-${i}`),
  );
  for (const tag of bigIndexTags.flat()) bigIndexes(tag); // generated before any window opens

  const scenarios: R9Scenario[] = [
    {
      id: 'R9',
      title: 'ordinary registry (baseline): cold multi-arch index + missing tag',
      bodies: [
        deploymentReview({ images: ordinaryTags.slice(0, 4).map((t) => `${plain}/r9/app:${t}`), name: 'base-0' }),
        deploymentReview({
          images: [...ordinaryTags.slice(4, 7).map((t) => `${plain}/r9/app:${t}`), `${plain}/r9/app:1.3.0`],
          name: 'base-1',
        }),
        deploymentReview({ images: [`${plain}/r9/app:2.2.0`], name: 'base-2' }),
      ],
    },
    {
      id: 'R9-tags',
      title: `missing tag, ${s.longTags} tags of ${s.longTagLength} chars`,
      bodies: reviews('tags', (i) => [`${h}/tags/long:${typoTag(s.typoLength, i)}`]),
    },
    {
      id: 'R9-node',
      title: `missing ${s.typoLength}-char tag, ${s.nodeTags} node-like tags`,
      bodies: reviews('node', (i) => [`${h}/tags/node:${typoTag(s.typoLength, i)}`]),
    },
    {
      id: 'R9-index',
      title: `${s.bigIndexReviews}x${s.bigIndexImagesPerReview} ${(s.bigIndexBytes / 1e6).toFixed(1)} MB indexes, ${s.bigIndexEntries} entries, half read whole`,
      bodies: bigIndexTags.map((tags, r) =>
        deploymentReview({ images: tags.map((t) => `${h}/index/big:${t}`), name: `index-${r}` }),
      ),
    },
    {
      id: 'R9-deep',
      title: `manifest nested ${(s.deepManifestBytes / 2 / 1e6).toFixed(1)}M levels (index + manifest)`,
      bodies: reviews('deep', (i) => [`${h}/deep/app:index-${i}`, `${h}/deep/app:manifest-${i}`]),
    },
    {
      id: 'R9-body',
      title: `${(s.deepReviewBytes / 1e6).toFixed(0)} MB AdmissionReview nested ${(s.deepReviewBytes / 2 / 1e6).toFixed(1)}M levels`,
      bodies: Array.from({ length: s.reviews }, (_, i) => deepAdmissionReview(s.deepReviewBytes, `deep-body-${i}`)),
    },
    {
      id: 'R9-glob',
      title: `${s.hostLength / 1000}k-char image host vs keyring key *b.test`,
      // Ends in a digit, not "b": the glob's star must try every split before it can say no.
      bodies: reviews('glob', (i) => [`${'a'.repeat(s.hostLength - 8)}${String(i).padStart(3, '0')}.test/app:1`]),
    },
  ];
  return {
    scenarios,
    warmUp: deploymentReview({ images: [`${plain}/r9/app:warm`], name: 'warm' }),
    config: {
      ...env.serverConfig,
      credentials: { kubernetes: false, dockerConfig: dockerConfigPath },
      registries: [
        { host: plain, plainHttp: true },
        { host: h, plainHttp: true },
      ],
    },
    close: () => hostile.close(),
  };
}

/** The webhook's body limit: MAX_REVIEW_BYTES of src/admission/review-limits.ts (28 MiB). */
const WEBHOOK_BODY_LIMIT = 6 * (3 * 1024 * 1024 + 1.5 * 1024 * 1024) + 1024 * 1024;

function within(what: string, bytes: number, max: number): void {
  if (bytes > max) throw new Error(`R9 setup: ${what} is ${bytes} bytes, over the ${max} pullguard reads`);
}

function seedOf(tag: string): number {
  let seed = 7;
  for (const char of tag) seed = (seed * 31 + char.charCodeAt(0)) >>> 0;
  return seed;
}

function memo<T>(make: (key: string) => T): (key: string) => T {
  const made = new Map<string, T>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) made.set(key, (value = make(key)));
    return value;
  };
}
