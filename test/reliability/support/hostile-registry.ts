/**
 * A registry that answers every request correctly by the letter of the distribution spec, with bodies built to
 * cost the client memory or CPU (R9): digest-correct image indexes of 3–4 MiB (thousands of entries with long
 * `variant` strings, a distinct index under every tag), a valid manifest nested 1.9 million levels deep, and
 * 10,000 very long tags over paginated `tags/list` pages. A real registry would refuse to store most of these;
 * a hostile one serves them all, so this is a tiny fault server rather than the harness's Distribution.
 *
 * Repositories:
 * - `hostile/index:<tag>` — an OCI index of {@link INDEX_ENTRIES} `linux/arm` entries with distinct long variants,
 *   plus one `linux/amd64` entry when the tag contains `amd64-`; its HEAD names the digest and the size, except
 *   under tags starting with `nodigest-`, whose HEAD has no digest, so the client must GET the whole body;
 * - `hostile/deep:<tag>` — an OCI image manifest `{"schemaVersion":2,"x":[[[…]]]}`, its HEAD without a digest so
 *   the client GETs the body (as containerd does);
 * - `hostile/tags:<tag>` — every manifest is unknown (404 MANIFEST_UNKNOWN); `tags/list` sends {@link TAG_PAGES}
 *   pages of {@link TAGS_PER_PAGE} tags of ~1,900 characters, and the last page also {@link REAL_TAGS}.
 *
 * {@link startHostileRegistryWorker} runs it in a worker thread, so building and sending these bodies (and the
 * garbage collection of them) happens on another event loop and heap than the code under test.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Worker } from 'node:worker_threads';
import { json, startLoopbackServer } from './loopback-servers.js';

const INDEX_ENTRIES = 8000;
const DEEP_LEVELS = 1_900_000;
export const TAG_PAGES = 5;
const TAGS_PER_PAGE = 2000;
export const REAL_TAGS = ['1.0.0', '1.0.1', '1.1.0', '2.0.0'] as const;

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

interface Body {
  readonly bytes: Buffer;
  readonly digest: string;
  readonly mediaType: string;
}

function body(text: string, mediaType: string): Body {
  const bytes = Buffer.from(text);
  return { bytes, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, mediaType };
}

/** A distinct 3–4 MiB index per tag (deterministic). */
function hostileIndex(tag: string): Body {
  const entries: string[] = [];
  if (tag.includes('amd64-')) entries.push(entry(0, 'amd64', ''));
  for (let i = 1; i <= INDEX_ENTRIES; i++) entries.push(entry(i, 'arm', `v${i}-${tag}-${'x'.repeat(250)}`));
  return body(`{"schemaVersion":2,"mediaType":"${OCI_INDEX}","manifests":[${entries.join(',')}]}`, OCI_INDEX);
}

function entry(i: number, architecture: string, variant: string): string {
  const digest = `sha256:${createHash('sha256').update(String(i)).digest('hex')}`;
  const platform =
    variant === ''
      ? `{"architecture":"${architecture}","os":"linux"}`
      : `{"architecture":"${architecture}","os":"linux","variant":"${variant}"}`;
  return `{"mediaType":"${OCI_MANIFEST}","digest":"${digest}","size":${500 + i},"platform":${platform}}`;
}

/** Valid JSON, a JSON object even, 1.9 million arrays deep (3.8 MB). */
function deepManifest(): Body {
  return body(`{"schemaVersion":2,"x":${'['.repeat(DEEP_LEVELS)}${']'.repeat(DEEP_LEVELS)}}`, OCI_MANIFEST);
}

/** One page of ~3.8 MB: 2,000 distinct tags of ~1,900 characters (the grammar allows 128). */
function tagPage(page: number): string[] {
  const tags = Array.from({ length: TAGS_PER_PAGE }, (_, i) => `${page}-${i}-${'t'.repeat(1900)}`);
  return page === TAG_PAGES - 1 ? [...tags, ...REAL_TAGS] : tags;
}

export interface HostileRegistry {
  /** `127.0.0.1:port`. */
  readonly host: string;
  /** Index GETs answered with a body so far. */
  indexBodies(): number;
  /** tags/list pages served so far. */
  tagPages(): number;
  close(): Promise<void>;
}

export interface HostileRegistryOptions {
  /** Builds the deep manifest, the tag pages and the indexes of these tags before serving. */
  readonly prebuild?: readonly string[];
  /** Where the counters live ([0] index bodies, [1] tag pages); shared memory when run in a worker. */
  readonly counters?: Int32Array;
}

/** The registry in a worker thread (support/hostile-registry-worker.ts); counters read from shared memory. */
export async function startHostileRegistryWorker(
  options: Omit<HostileRegistryOptions, 'counters'> = {},
): Promise<HostileRegistry> {
  const counters = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(new URL('./hostile-registry-worker.ts', import.meta.url), {
    workerData: { ...options, counters },
  });
  const host = await new Promise<string>((resolve, reject) => {
    worker.once('message', (message: { host: string }) => resolve(message.host));
    worker.once('error', reject);
  });
  return {
    host,
    indexBodies: () => Atomics.load(counters, 0),
    tagPages: () => Atomics.load(counters, 1),
    close: async () => void (await worker.terminate()),
  };
}

/**
 * Starts the registry on 127.0.0.1. Bodies are built on first use and kept; `prebuild` builds the deep manifest,
 * the tag pages and the indexes of these tags up front, so a test measuring the event loop of its own process
 * does not measure this server's work.
 */
export async function startHostileRegistry(options: HostileRegistryOptions = {}): Promise<HostileRegistry> {
  const counters = options.counters ?? new Int32Array(2);
  const indexes = new Map<string, Body>(); // by tag and by digest (the client GETs an index by its digest)
  const pageBodies = new Map<number, string>();
  const indexFor = (tag: string): Body => {
    let index = indexes.get(tag);
    if (!index) {
      index = hostileIndex(tag);
      indexes.set(tag, index).set(index.digest, index);
    }
    return index;
  };
  const pageFor = (page: number): string => {
    let text = pageBodies.get(page);
    if (text === undefined)
      pageBodies.set(page, (text = JSON.stringify({ name: 'hostile/tags', tags: tagPage(page) })));
    return text;
  };
  let deep: Body | undefined;
  if (options.prebuild) {
    deep = deepManifest();
    for (let page = 0; page < TAG_PAGES; page++) pageFor(page);
    for (const tag of options.prebuild) indexFor(tag);
  }
  const send = (req: IncomingMessage, res: ServerResponse, manifest: Body, headDigest = true): void => {
    if (req.method === 'GET' && manifest.mediaType === OCI_INDEX) Atomics.add(counters, 0, 1);
    const digest = req.method === 'GET' || headDigest ? { 'docker-content-digest': manifest.digest } : {};
    res.writeHead(200, {
      'content-type': manifest.mediaType,
      ...digest,
      'content-length': String(manifest.bytes.length),
    });
    res.end(req.method === 'HEAD' ? undefined : manifest.bytes);
  };
  const server = await startLoopbackServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/v2/') return json(res, 200, {});
    const manifest = /^\/v2\/hostile\/(index|deep|tags)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (manifest?.[1] === 'index') {
      const reference = manifest[2] as string;
      const known = indexes.get(reference);
      if (!known && reference.startsWith('sha256:'))
        return json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
      return send(req, res, known ?? indexFor(reference), !reference.startsWith('nodigest-'));
    }
    if (manifest?.[1] === 'deep') return send(req, res, (deep ??= deepManifest()), false);
    if (manifest?.[1] === 'tags')
      return json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
    if (url.pathname === '/v2/hostile/tags/tags/list') {
      const page = Number(url.searchParams.get('page') ?? 0);
      Atomics.add(counters, 1, 1);
      const next =
        page + 1 < TAG_PAGES ? { link: `</v2/hostile/tags/tags/list?n=1000&page=${page + 1}>; rel="next"` } : {};
      const text = pageFor(page);
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(text)),
        ...next,
      });
      return void res.end(text);
    }
    json(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] });
  });
  return {
    host: server.host,
    indexBodies: () => Atomics.load(counters, 0),
    tagPages: () => Atomics.load(counters, 1),
    close: () => server.close(),
  };
}
