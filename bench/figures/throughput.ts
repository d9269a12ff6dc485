/**
 * P1 (warm admission throughput ÷ a bare fastify HTTPS route) and P6 (warm p99 latency at half of P1's maximum).
 * P1 is measured as a cluster sees it: both servers pinned to one CPU with all their threads, wrk on the other
 * (pinned-rounds.ts), the same body and connections, alternating rounds; the median of the per-round ratios is the
 * figure. P6 uses the bench's own undici open loop, also on the load CPU.
 */
import { pushImage } from '../../test/harness/registry/index.js';
import { deploymentReview, isAllow, isCleanAllow, VALIDATE_PATH } from '../lib/admission-review.js';
import { startBaseline } from '../lib/baseline-process.js';
import { processCpuMs } from '../lib/child-process.js';
import { cpuLayout, withBenchOnLoadCpu } from '../lib/cpu-pinning.js';
import type { BenchEnv } from '../lib/environment.js';
import { cleanAllowMs, median, openLoop, openPool, percentile, type LoadTarget } from '../lib/load.js';
import { measureRounds, medianOf, roundRatios, totalOf } from '../lib/pinned-rounds.js';
import { cacheCounts, counterValue } from '../lib/prometheus.js';
import { startPullguard, type PullguardProcess } from '../lib/pullguard-process.js';
import type { FigureRow } from '../lib/report.js';
import { writeWrkScript, wrkAvailable } from '../lib/wrk.js';

/**
 * Rounds of one slice per server (each `BENCH_DURATION_MS` long) after a warm-up per server. Each slice starts new
 * connections after the server sat idle through the other's slice, and V8 re-optimizes some of the request path then
 * (about 10% of a 2 s slice's CPU went to its compiler threads): longer slices describe the steady state better.
 */
const ROUNDS = Number(process.env['BENCH_P1_ROUNDS'] ?? 7);
/** Per server before measuring: the first seconds under load run code V8 has not optimized yet. */
const WARM_UP_MS = 4000;
const P1_TARGET = 0.7;
const P6_TARGET_MS = 5;
/**
 * One unmeasured second at P6's rate before each server's measured open loop. An open loop started right after
 * P1's closed loops carries a one-off stall in its first 100–300 ms. P6 is about the steady state.
 */
const P6_WARM_UP_MS = 1000;

export async function measureThroughput(env: BenchEnv): Promise<FigureRow[]> {
  const missing = wrkAvailable();
  if (missing) throw new Error(`P1 needs wrk as its load generator: ${missing}`);
  const server = await startPullguard({
    name: 'pullguard-p1',
    repoRoot: env.settings.repoRoot,
    workDir: env.workDir,
    certDir: env.certDir,
    config: env.serverConfig,
    pinned: true,
    ...(env.settings.cpuProfDir ? { cpuProfDir: env.settings.cpuProfDir } : {}),
    ...(env.settings.serverNodeFlags ? { nodeFlags: env.settings.serverNodeFlags } : {}),
  });
  try {
    return await withBenchOnLoadCpu(() => measurePinned(env, server));
  } finally {
    await server.stop();
  }
}

async function measurePinned(env: BenchEnv, server: PullguardProcess): Promise<FigureRow[]> {
  const { durationMs, connections, log } = env.settings;
  const sliceMs = durationMs;
  const images = await pushWarmImages(env);
  const body = deploymentReview({ images, name: 'warm' });
  const pullguard: LoadTarget = {
    origin: server.origin,
    caPem: env.caPem,
    path: VALIDATE_PATH,
    body,
    accept: isCleanAllow,
  };
  const baselineServer = await startBaseline({
    repoRoot: env.settings.repoRoot,
    certDir: env.certDir,
    caPem: env.caPem,
    pinned: true,
    ...(env.settings.cpuProfDir ? { cpuProfDir: env.settings.cpuProfDir } : {}),
  });
  const baseline: LoadTarget = { ...pullguard, origin: baselineServer.origin, accept: isAllow };
  const pools = { pullguard: openPool(pullguard, connections), baseline: openPool(baseline, connections) };
  try {
    await cleanAllowMs(pools.pullguard, body, 'the review before P1');
    const script = await writeWrkScript(env.workDir, 'p1', body);
    const metricsBefore = await server.metrics();
    log(`P1: ${cpuLayout().description}`);
    log(
      `P1: wrk, ${connections} connections; ${WARM_UP_MS / 1000} s warm-up per server, then ${ROUNDS} rounds of ${sliceMs / 1000} s per server`,
    );
    const [measuredBaseline, measuredPullguard] = await measureRounds(
      [
        {
          name: 'bare fastify',
          pid: baselineServer.pid,
          target: { url: `${baseline.origin}${VALIDATE_PATH}`, script },
        },
        { name: 'pullguard', pid: server.pid, target: { url: `${pullguard.origin}${VALIDATE_PATH}`, script } },
      ],
      { connections, warmUpMs: WARM_UP_MS, sliceMs: sliceMs, rounds: ROUNDS, log: (line) => log(`P1: ${line}`) },
    );
    if (!measuredBaseline || !measuredPullguard) throw new Error('P1 measured no rounds');
    const metricsAfter = await server.metrics();
    await cleanAllowMs(pools.pullguard, body, 'the review after P1');
    const ratios = roundRatios(measuredPullguard, measuredBaseline);
    const p1Ratio = median(ratios);
    const rps = {
      pullguard: medianOf(measuredPullguard, 'requestsPerSecond'),
      baseline: medianOf(measuredBaseline, 'requestsPerSecond'),
    };
    const cpuUs = {
      pullguard: medianOf(measuredPullguard, 'cpuUsPerRequest'),
      baseline: medianOf(measuredBaseline, 'cpuUsPerRequest'),
    };
    const errors = { pullguard: totalOf(measuredPullguard, 'errors'), baseline: totalOf(measuredBaseline, 'errors') };
    // Every request wrk sent pullguard (warm-up and rounds, plus the two checks) was an allow answered from the cache.
    const allows =
      counterValue(metricsAfter, 'pullguard_admission_requests_total', { decision: 'allow' }) -
      counterValue(metricsBefore, 'pullguard_admission_requests_total', { decision: 'allow' });
    const reviews =
      counterValue(metricsAfter, 'pullguard_admission_requests_total') -
      counterValue(metricsBefore, 'pullguard_admission_requests_total');
    const cacheBefore = cacheCounts(metricsBefore);
    const cacheAfter = cacheCounts(metricsAfter);
    log(`P1: pullguard ${rps.pullguard.toFixed(0)} req/s, baseline ${rps.baseline.toFixed(0)} req/s (medians)`);

    const rate = rps.pullguard / 2;
    log(
      `P6: open loop at ${rate.toFixed(0)} req/s for ${durationMs} ms on each server, after ${P6_WARM_UP_MS / 1000} s at that rate`,
    );
    await openLoop(pools.pullguard, pullguard, { ratePerSecond: rate, durationMs: P6_WARM_UP_MS });
    let cpuBefore = await processCpuMs(server.pid);
    const latency = await openLoop(pools.pullguard, pullguard, { ratePerSecond: rate, durationMs });
    const sameRateCpu = {
      pullguard: ((await processCpuMs(server.pid)) - cpuBefore) / latency.latenciesMs.length,
      baseline: 0,
    };
    await openLoop(pools.baseline, baseline, { ratePerSecond: rate, durationMs: P6_WARM_UP_MS });
    cpuBefore = await processCpuMs(baselineServer.pid);
    const baselineLatency = await openLoop(pools.baseline, baseline, { ratePerSecond: rate, durationMs });
    sameRateCpu.baseline = ((await processCpuMs(baselineServer.pid)) - cpuBefore) / baselineLatency.latenciesMs.length;
    const p99 = percentile(latency.latenciesMs, 99);
    return [
      {
        id: 'P1',
        figure: 'warm admission throughput (Deployment, 3 cached images, HTTPS keep-alive, pinned)',
        value: `${rps.pullguard.toFixed(0)} req/s`,
        baseline: `${rps.baseline.toFixed(0)} req/s`,
        ratio: p1Ratio,
        target: `>= ${P1_TARGET}`,
        pass: p1Ratio >= P1_TARGET && errors.pullguard === 0 && allows === reviews,
        notes: [
          `${cpuLayout().description}; wrk -t1 -c${connections}, ${ROUNDS} alternating rounds of ${sliceMs} ms per server after ${WARM_UP_MS} ms warm-up each; body ${body.length} bytes`,
          `ratio per round: ${ratios.map((r) => r.toFixed(3)).join(' ')} (median ${p1Ratio.toFixed(3)})`,
          `server CPU per request (medians): pullguard ${cpuUs.pullguard.toFixed(1)} µs, bare fastify ${cpuUs.baseline.toFixed(1)} µs (ratio ${(cpuUs.baseline / cpuUs.pullguard).toFixed(2)})`,
          `latency p50/p99 (medians of the rounds): pullguard ${medianOf(measuredPullguard, 'p50Ms').toFixed(2)}/${medianOf(measuredPullguard, 'p99Ms').toFixed(2)} ms, bare fastify ${medianOf(measuredBaseline, 'p50Ms').toFixed(2)}/${medianOf(measuredBaseline, 'p99Ms').toFixed(2)} ms`,
          `errors (non-2xx and socket): pullguard ${errors.pullguard}, baseline ${errors.baseline}; reviews counted by pullguard ${reviews}, of which allowed ${allows}`,
          `cache: ${cacheAfter.hit - cacheBefore.hit} hits, ${cacheAfter.miss - cacheBefore.miss} misses (all 3 images served from cache)`,
        ],
      },
      {
        id: 'P6',
        figure: 'warm latency p99 at half of P1 max throughput',
        value: `${p99.toFixed(2)} ms`,
        baseline: `${P6_TARGET_MS} ms`,
        ratio: p99 / P6_TARGET_MS,
        target: `<= ${P6_TARGET_MS} ms`,
        pass: 'reported',
        notes: [
          `open loop (undici, on the load CPU) at ${rate.toFixed(0)} req/s for ${durationMs} ms (latency from scheduled start); pullguard p50 ${percentile(latency.latenciesMs, 50).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${percentile(latency.latenciesMs, 100).toFixed(2)} ms, errors ${latency.errors}`,
          `bare fastify at the same rate: p50 ${percentile(baselineLatency.latenciesMs, 50).toFixed(2)} ms, p99 ${percentile(baselineLatency.latenciesMs, 99).toFixed(2)} ms`,
          `server CPU per request at this rate: pullguard ${sameRateCpu.pullguard.toFixed(3)} ms, bare fastify ${sameRateCpu.baseline.toFixed(3)} ms (ratio ${(sameRateCpu.baseline / sameRateCpu.pullguard).toFixed(2)})`,
          `load generator's own worst lag behind schedule: ${latency.maxSendLagMs.toFixed(1)} ms during pullguard's loop, ${baselineLatency.maxSendLagMs.toFixed(1)} ms during bare fastify's`,
        ],
      },
    ];
  } finally {
    await pools.pullguard.close();
    await pools.baseline.close();
    await baselineServer.stop();
  }
}

/** Three images on the plain registry: two single-platform manifests and one multi-arch index (platform check). */
export async function pushWarmImages(env: BenchEnv): Promise<string[]> {
  const api = await pushImage(env.plain, { repository: 'warm/api', tags: ['1.4.2'], format: 'oci-manifest' });
  const web = await pushImage(env.plain, {
    repository: 'warm/web',
    tags: ['2.0.1'],
    format: 'oci-index',
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ],
  });
  const worker = await pushImage(env.plain, { repository: 'warm/worker', tags: ['0.9.0'], format: 'docker-manifest' });
  return [api.reference, web.reference, worker.reference];
}
