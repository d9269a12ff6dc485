/**
 * P5 with image indexes (issue 13): RSS of a fresh pullguard after 50,000 distinct cached `found` results whose
 * images are multi-arch indexes, reviewed with the platform check on (`platforms: [linux/amd64]`), so every result
 * went through an index body. Two runs, each on its own server:
 *
 * - P5I, ordinary indexes: five platforms plus their attestation manifests, as `docker buildx` pushes them.
 * - P5H, hostile indexes: first a few hundred true multi-megabyte indexes (thousands of entries, just under the
 *   4 MiB body limit), which a server must parse but may not keep; then the rest at the worst case of what a
 *   cached result may keep: the most distinct platforms with the longest strings, none shared with another
 *   result (bench/lib/hostile-content.ts `cappedWorstCaseIndex`), the longest digest the grammar allows, and the
 *   longest reference (255-character path, 128-character tag, sha512 digest), which makes the longest cache key.
 *   Downloading 50,000 multi-megabyte indexes would take 190 GB and hours; once the body is not kept, what is kept
 *   per result is bounded by those caps, so indexes at the caps are the worst case for memory, and the big ones
 *   show the body is not kept.
 *
 * The proofs are P5's: the cache metric shows every image was a miss that got cached, a second look at the oldest
 * images (the multi-megabyte ones in P5H) shows they are still cached, and every review is a clean allow (the
 * index was read and linux/amd64 found in it); and the peak RSS stayed within the Deployment's memory limit. Each
 * run also measures the live heap per cached result in-process (bench/lib/result-bytes.ts). A server that dies
 * (V8's heap limit) is reported, not waited for.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'undici';
import { deploymentReview, describeAnswer, isCleanAllow, VALIDATE_PATH } from '../lib/admission-review.js';
import type { BenchEnv } from '../lib/environment.js';
import {
  cappedWorstCaseIndex,
  multiMegabyteIndex,
  ordinaryIndex,
  seedOfSha512Digest,
  sha512DigestOf,
} from '../lib/hostile-content.js';
import { startHostileRegistry, type HostileRegistry } from '../lib/hostile-registry.js';
import { openPool } from '../lib/load.js';
import { podMemoryLimitBytes } from '../lib/production-node-flags.js';
import { liveBytesNote } from '../lib/result-bytes.js';
import { cacheCounts, heapOf } from '../lib/prometheus.js';
import { startPullguard, type PullguardProcess } from '../lib/pullguard-process.js';
import { failedRow, type FigureRow } from '../lib/report.js';

export interface IndexMemoryParams {
  /** Distinct cached results per run (P5: 50,000; the bench config's `cache.maxEntries`). */
  readonly results: number;
  /** P5H: platforms per capped index and the length of each os / architecture / variant string. */
  readonly platforms: number;
  readonly stringLength: number;
  /** P5H: how many of the results are multi-megabyte indexes, and their size. */
  readonly bigIndexes: number;
  readonly bigIndexEntries: number;
  readonly bigIndexBytes: number;
}

const DEFAULT_INDEX_MEMORY: IndexMemoryParams = {
  results: 50_000,
  platforms: 64,
  stringLength: 32,
  bigIndexes: 200,
  bigIndexEntries: 5_000,
  bigIndexBytes: 3_800_000,
};

/** 255 characters, the longest repository path (distribution/reference `RepositoryNameTotalLengthMax`). */
const LONGEST_REPOSITORY = `mem/capped/${'p'.repeat(244)}`;
const TARGET_MB = 200;
const MB = 1024 * 1024;
const SETTLE_MS = 10_000; // as P5: longer than `network.budget`, so every deadline timer of the fill has fired
const REVIEW_TIMEOUT_MS = 60_000;
/** Results of the in-process measurement (after 50 warm-up ones). */
const LIVE_RESULTS = 5_050;

interface Batch {
  readonly images: readonly string[];
}

export async function measureIndexMemory(env: BenchEnv): Promise<FigureRow[]> {
  const params: IndexMemoryParams = { ...DEFAULT_INDEX_MEMORY, ...env.settings.indexMemory };
  const seedOfTag = (tag: string) => (/^t\d+$/.test(tag) ? Number(tag.slice(1)) : undefined);
  const registry = await startHostileRegistry(
    new Map([
      ['mem/ordinary', { manifest: (tag: string) => ifSeed(seedOfTag(tag), ordinaryIndex) }],
      [
        'mem/big',
        {
          manifest: (tag: string) =>
            ifSeed(seedOfTag(tag), (seed) =>
              multiMegabyteIndex(seed, { entries: params.bigIndexEntries, bytes: params.bigIndexBytes }),
            ),
        },
      ],
      [
        LONGEST_REPOSITORY,
        {
          manifest: (digest: string) =>
            ifSeed(seedOfSha512Digest(digest), (seed) => cappedWorstCaseIndex(seed, params)),
        },
      ],
    ]),
  );
  const image = (repository: string, i: number) => `${registry.host}/mem/${repository}:t${i}`;
  // The longest reference the grammar allows on this registry, so the cache key is as long as it can be too.
  const longestImage = (i: number) =>
    `${registry.host}/${LONGEST_REPOSITORY}:${`t${i}`.padEnd(128, 'x')}@${sha512DigestOf(i)}`;
  const rows: FigureRow[] = [];
  try {
    const ordinary = batches(
      Array.from({ length: params.results }, (_, i) => image('ordinary', i)),
      100,
    );
    const big = batches(
      Array.from({ length: params.bigIndexes }, (_, i) => image('big', i)),
      4,
    );
    const capped = batches(
      Array.from({ length: params.results - params.bigIndexes }, (_, i) => longestImage(i)),
      100,
    );
    const runs = [
      {
        id: 'P5I',
        figure: `RSS after ${params.results} cached results, ordinary indexes (5 platforms + attestations)`,
        phases: [{ batches: ordinary, concurrent: 4 }],
        live: seeds(LIVE_RESULTS).map((i) => image('ordinary', i)),
      },
      {
        id: 'P5H',
        figure: `RSS after ${params.results} cached results, hostile indexes (${params.bigIndexes} x ${(params.bigIndexBytes / 1e6).toFixed(1)} MB, then ${params.platforms} platforms x ${params.stringLength}-char strings)`,
        phases: [
          { batches: big, concurrent: 1 },
          { batches: capped, concurrent: 4 },
        ],
        live: seeds(LIVE_RESULTS).map(longestImage),
      },
    ];
    for (const run of runs) {
      let row: FigureRow;
      try {
        row = await fillAndMeasure(env, registry, run.id, run.figure, run.phases);
      } catch (error) {
        row = failedRow(run.id, run.figure, `<= ${TARGET_MB} MB`, error);
      }
      const note = await liveBytesNote(env, registry.host, run.live);
      rows.push({ ...row, notes: [...row.notes, note] });
    }
    return rows;
  } finally {
    await registry.close();
  }
}

/** Seeds no fill uses, so the in-process measurement resolves indexes the registry never served before. */
function seeds(count: number): number[] {
  return Array.from({ length: count }, (_, i) => 10_000_000 + i);
}

function ifSeed<T>(seed: number | undefined, make: (seed: number) => T): T | undefined {
  return seed === undefined ? undefined : make(seed);
}

function batches(images: readonly string[], size: number): Batch[] {
  const out: Batch[] = [];
  for (let i = 0; i < images.length; i += size) out.push({ images: images.slice(i, i + size) });
  return out;
}

async function fillAndMeasure(
  env: BenchEnv,
  registry: HostileRegistry,
  id: string,
  figure: string,
  phases: readonly { batches: readonly Batch[]; concurrent: number }[],
): Promise<FigureRow> {
  const { log } = env.settings;
  const server = await startPullguard({
    name: `pullguard-${id.toLowerCase()}`,
    repoRoot: env.settings.repoRoot,
    workDir: env.workDir,
    certDir: env.certDir,
    config: {
      ...env.serverConfig,
      registries: [...(env.serverConfig['registries'] as object[]), { host: registry.host, plainHttp: true }],
    },
    ...(env.settings.serverNodeFlags ? { nodeFlags: env.settings.serverNodeFlags } : {}),
  });
  const pool = openPool({ origin: server.origin, caPem: env.caPem }, 4);
  const base = { id, figure, baseline: `${TARGET_MB} MB`, target: `<= ${TARGET_MB} MB` };
  const podLimit = podMemoryLimitBytes(env.settings.repoRoot);
  let reviewed = 0;
  try {
    await sleep(1000);
    const idleRss = await server.rssBytes();
    const servedBefore = registry.counts().bytes;
    const cacheBefore = cacheCounts(await server.metrics());
    const results = phases.reduce((sum, p) => sum + p.batches.reduce((n, b) => n + b.images.length, 0), 0);
    log(`${id}: filling the cache with ${results} results`);
    const started = performance.now();
    const unclean: string[] = [];
    for (const phase of phases) {
      let next = 0;
      const worker = async () => {
        while (next < phase.batches.length) {
          const batch = phase.batches[next++] as Batch;
          const answer = await review(pool, batch.images, server);
          if (!answer.clean && unclean.length < 3) unclean.push(answer.description);
          reviewed += batch.images.length;
        }
      };
      await Promise.all(Array.from({ length: phase.concurrent }, worker));
    }
    const fillSeconds = (performance.now() - started) / 1000;
    const cacheFilled = cacheCounts(await server.metrics());
    const oldest = phases[0]?.batches.slice(0, 2).flatMap((b) => b.images) ?? [];
    await review(pool, oldest, server); // the oldest entries: still cached?
    const oldestHits = cacheCounts(await server.metrics()).hit - cacheFilled.hit;
    const rssRightAfter = await server.rssBytes();
    await sleep(SETTLE_MS);
    const rss = await server.rssBytes();
    const peak = await server.peakRssBytes();
    const heap = heapOf(await server.metrics());
    const misses = cacheFilled.miss - cacheBefore.miss;
    const allCached = misses === results && oldestHits === oldest.length && unclean.length === 0;
    const servedMb = (registry.counts().bytes - servedBefore) / 1e6;
    log(
      `${id}: RSS ${(rss / MB).toFixed(1)} MB after ${misses} misses in ${fillSeconds.toFixed(1)} s (${servedMb.toFixed(0)} MB of manifests served)`,
    );
    return {
      ...base,
      value: `${(rss / MB).toFixed(1)} MB`,
      ratio: rss / MB / TARGET_MB,
      pass: rss / MB <= TARGET_MB && peak <= podLimit && allCached,
      notes: [
        `idle server RSS ${(idleRss / MB).toFixed(1)} MB; growth ${((rss - idleRss) / MB).toFixed(1)} MB = ${((rss - idleRss) / results).toFixed(0)} bytes per result (RSS, an upper bound: heap headroom and garbage included)`,
        `RSS right after the fill ${(rssRightAfter / MB).toFixed(1)} MB, ${SETTLE_MS / 1000} s later ${(rss / MB).toFixed(1)} MB; peak ${(peak / MB).toFixed(1)} MB (Deployment limit ${(podLimit / MB).toFixed(0)} MiB${peak > podLimit ? ': EXCEEDED, OOM-killed in a pod' : ''}); V8 heap used ${(heap.used / MB).toFixed(1)} MB of ${(heap.total / MB).toFixed(1)} MB, external ${(heap.external / MB).toFixed(1)} MB`,
        `cache misses ${misses} (expected ${results}); re-reviewing the oldest ${oldest.length}: ${oldestHits} hits; ${servedMb.toFixed(0)} MB of manifests served in ${fillSeconds.toFixed(1)} s${unclean.length ? `; NOT a clean allow: ${unclean.join(' | ')}` : ''}`,
      ],
    };
  } catch (error) {
    if (server.exitStatus() === undefined) await sleep(1000); // the connection may close before the exit is reported
    const exit = server.exitStatus();
    if (exit === undefined) throw error;
    const fatal = (await server.logTail(4000)).split('\n').find((l) => /FATAL|heap limit|out of memory/i.test(l));
    log(`${id}: server died (${exit}) after ${reviewed} results`);
    return {
      ...base,
      value: 'server died',
      ratio: Number.NaN,
      pass: false,
      notes: [`SERVER DIED (${exit}) after about ${reviewed} results${fatal ? `: ${fatal.slice(0, 200)}` : ''}`],
    };
  } finally {
    await pool.destroy().catch(() => undefined);
    await server.stop();
  }
}

async function review(
  pool: Pool,
  images: readonly string[],
  server: PullguardProcess,
): Promise<{ clean: boolean; description: string }> {
  const response = await pool.request({
    path: VALIDATE_PATH,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: deploymentReview({ images, name: 'mem' }),
    signal: AbortSignal.timeout(REVIEW_TIMEOUT_MS),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200 || !text.includes('"response"')) {
    throw new Error(
      `memory fill review failed${server.exitStatus() ? ` (server ${server.exitStatus()})` : ''}: ${describeAnswer(response.statusCode, text)}`,
    );
  }
  return {
    clean: isCleanAllow(response.statusCode, text),
    description: describeAnswer(response.statusCode, text).slice(0, 200),
  };
}
