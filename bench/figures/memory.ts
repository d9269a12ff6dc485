/**
 * P5: resident memory of a fresh pullguard after 50,000 distinct cached results. Half are `found` (distinct
 * `tag@digest` references to one pushed image: the digest is resolved, the tag makes the cache key distinct), half
 * `not-found` (distinct missing tags, kept for `cache.negativeTtl`, with tag suggestions). The cache metric proves
 * every one was a miss that got cached, and a second look at the oldest ones proves they are still there.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pushImage } from '../../test/harness/registry/index.js';
import { deploymentReview, describeAnswer, VALIDATE_PATH } from '../lib/admission-review.js';
import type { BenchEnv } from '../lib/environment.js';
import { openPool } from '../lib/load.js';
import { cacheCounts, heapOf } from '../lib/prometheus.js';
import { startPullguard } from '../lib/pullguard-process.js';
import type { FigureRow } from '../lib/report.js';
import type { Pool } from 'undici';

const RESULTS = 50_000;
const IMAGES_PER_REVIEW = 100;
const CONCURRENT_REVIEWS = 4;
const TARGET_MB = 200;
const MB = 1024 * 1024;
/** Longer than `network.budget` (8 s): every per-request deadline timer of the fill has fired and can be collected. */
const SETTLE_MS = 10_000;

export async function measureMemory(env: BenchEnv): Promise<FigureRow[]> {
  const { log } = env.settings;
  const pushed = await pushImage(env.plain, {
    repository: 'mem/app',
    tags: ['1.0.0', '1.1.0', '2.0.0'],
    format: 'oci-manifest',
  });
  const server = await startPullguard({
    name: 'pullguard-memory',
    repoRoot: env.settings.repoRoot,
    workDir: env.workDir,
    certDir: env.certDir,
    config: env.serverConfig,
    ...(env.settings.cpuProfDir ? { cpuProfDir: env.settings.cpuProfDir } : {}),
    ...(env.settings.serverNodeFlags ? { nodeFlags: env.settings.serverNodeFlags } : {}),
  });
  const pool = openPool({ origin: server.origin, caPem: env.caPem }, CONCURRENT_REVIEWS);
  try {
    await sleep(1000);
    const idleRss = await server.rssBytes();
    const idleHeap = heapOf(await server.metrics());
    const reference = (i: number) =>
      i % 2 === 0 ? `${env.plain.host}/mem/app:f${i}@${pushed.digest}` : `${env.plain.host}/mem/app:n${i}`;
    const batches = Array.from({ length: RESULTS / IMAGES_PER_REVIEW }, (_, b) =>
      Array.from({ length: IMAGES_PER_REVIEW }, (_, i) => reference(b * IMAGES_PER_REVIEW + i)),
    );
    const cacheBefore = cacheCounts(await server.metrics());
    log(`P5: filling the cache with ${RESULTS} results (${batches.length} reviews of ${IMAGES_PER_REVIEW} images)`);
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const images = batches[next++] as string[];
        await review(pool, images);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENT_REVIEWS }, worker));
    const fillSeconds = (performance.now() - started) / 1000;
    const cacheFilled = cacheCounts(await server.metrics());
    await review(pool, batches[0] as string[]); // the oldest entries: still cached?
    const cacheRecheck = cacheCounts(await server.metrics());
    const rssRightAfter = await server.rssBytes();
    await sleep(SETTLE_MS);
    const rss = await server.rssBytes();
    const heap = heapOf(await server.metrics());
    const misses = cacheFilled.miss - cacheBefore.miss;
    const oldestHits = cacheRecheck.hit - cacheFilled.hit;
    const allCached = misses === RESULTS && oldestHits === IMAGES_PER_REVIEW;
    log(`P5: RSS ${(rss / MB).toFixed(1)} MB after ${misses} misses in ${fillSeconds.toFixed(1)} s`);
    return [
      {
        id: 'P5',
        figure: `RSS after ${RESULTS} distinct cached results`,
        value: `${(rss / MB).toFixed(1)} MB`,
        baseline: `${TARGET_MB} MB`,
        ratio: rss / MB / TARGET_MB,
        target: `<= ${TARGET_MB} MB`,
        pass: rss / MB <= TARGET_MB && allCached,
        notes: [
          `idle server RSS ${(idleRss / MB).toFixed(1)} MB (V8 heap used ${(idleHeap.used / MB).toFixed(1)} MB); growth ${((rss - idleRss) / MB).toFixed(1)} MB (${((rss - idleRss) / RESULTS).toFixed(0)} bytes per result)`,
          `RSS right after the fill ${(rssRightAfter / MB).toFixed(1)} MB, ${SETTLE_MS / 1000} s later ${(rss / MB).toFixed(1)} MB; then V8 heap used ${(heap.used / MB).toFixed(1)} MB of ${(heap.total / MB).toFixed(1)} MB, external ${(heap.external / MB).toFixed(1)} MB`,
          `${RESULTS / 2} found (tag@digest) + ${RESULTS / 2} not-found tags; cache misses ${misses} (expected ${RESULTS}); re-reviewing the oldest ${IMAGES_PER_REVIEW}: ${oldestHits} hits; filled in ${fillSeconds.toFixed(1)} s`,
        ],
      },
    ];
  } finally {
    await pool.close();
    await server.stop();
  }
}

async function review(pool: Pool, images: readonly string[]): Promise<void> {
  const response = await pool.request({
    path: VALIDATE_PATH,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: deploymentReview({ images, name: 'mem' }),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200 || !text.includes('"response"'))
    throw new Error(`memory fill review failed: ${describeAnswer(response.statusCode, text)}`);
}
