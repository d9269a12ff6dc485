/**
 * P1 for several builds of pullguard side by side, for experiments: each build and the bare fastify baseline get
 * the same warm Deployment review in alternating closed-loop slices, so the noise of this shared machine hits all
 * of them alike. Prints the median throughput, the ratio to the baseline and the server CPU per request of each.
 *
 * A build is a folder with `dist/` (from `npm run build`, edited or not), the `Dockerfile` (its ENTRYPOINT's node
 * flags are used) and `node_modules` (a symlink to the project's will do):
 *
 *   mkdir /tmp/variant && cp -r dist Dockerfile /tmp/variant/ && ln -s "$PWD/node_modules" /tmp/variant/
 *   npm run bench:compare -- . /tmp/variant
 *
 * Environment: BENCH_SLICES (per server, default 5), BENCH_SLICE_MS (default 2000), BENCH_WARMUP_MS (per server,
 * default 4000), BENCH_CONNECTIONS (default 16), BENCH_NODE_FLAGS (extra flags for the pullguard builds),
 * BENCH_PERF_MAP=1 (every server runs with `--perf-basic-prof`, so `perf record -g -p <pid>` names JavaScript
 * frames; the pids are printed). Two process starts of one build differ by up to ~10%: list a build twice to see it.
 */
import path from 'node:path';
import { deploymentReview, isAllow, isCleanAllow, VALIDATE_PATH } from './lib/admission-review.js';
import { startBaseline } from './lib/baseline-process.js';
import { processCpuMs } from './lib/child-process.js';
import { setUpEnvironment } from './lib/environment.js';
import { closedLoop, median, openPool, type LoadTarget } from './lib/load.js';
import { startPullguard } from './lib/pullguard-process.js';
import { pushWarmImages } from './figures/throughput.js';

interface Server {
  readonly name: string;
  readonly pid: number;
  readonly target: LoadTarget;
  stop(): Promise<void>;
}

const env = process.env;
const builds = process.argv.slice(2).map((root) => path.resolve(root));
if (builds.length === 0) {
  process.stderr.write('usage: npm run bench:compare -- <build folder>...\n');
  process.exit(2);
}
const slices = Number(env['BENCH_SLICES'] ?? 5);
const sliceMs = Number(env['BENCH_SLICE_MS'] ?? 2000);
const connections = Number(env['BENCH_CONNECTIONS'] ?? 16);
const warmUpMs = Number(env['BENCH_WARMUP_MS'] ?? 4000);
const perfMap = env['BENCH_PERF_MAP'] === '1' ? ['--perf-basic-prof'] : [];
const extraFlags = [...perfMap, ...(env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter(Boolean)];
const repoRoot = path.resolve(import.meta.dirname, '..');
const log = (line: string): void => void process.stdout.write(`${line}\n`);

const bench = await setUpEnvironment({ repoRoot, durationMs: sliceMs, connections, log });
const servers: Server[] = [];
try {
  const body = deploymentReview({ images: await pushWarmImages(bench), name: 'warm' });
  const baseline = await startBaseline({ repoRoot, certDir: bench.certDir, caPem: bench.caPem, nodeFlags: perfMap });
  servers.push({
    name: 'bare fastify',
    pid: baseline.pid,
    target: { origin: baseline.origin, caPem: bench.caPem, path: VALIDATE_PATH, body, accept: isAllow },
    stop: () => baseline.stop(),
  });
  for (const [i, root] of builds.entries()) {
    const server = await startPullguard({
      name: `build${i}`,
      repoRoot: root,
      workDir: bench.workDir,
      certDir: bench.certDir,
      config: bench.serverConfig,
      nodeFlags: extraFlags,
    });
    servers.push({
      name: root,
      pid: server.pid,
      target: { origin: server.origin, caPem: bench.caPem, path: VALIDATE_PATH, body, accept: isCleanAllow },
      stop: () => server.stop(),
    });
  }
  log(servers.map((s) => `${s.name}: pid ${s.pid}`).join('\n'));
  const pools = servers.map((s) => openPool(s.target, connections));
  try {
    // Long enough for V8 to have optimized the hot paths: the first seconds under load are slower.
    for (const [i, s] of servers.entries())
      await closedLoop(pools[i]!, s.target, { concurrency: connections, durationMs: warmUpMs });
    const rates = servers.map((): number[] => []);
    const cpuUs = servers.map((): number[] => []);
    for (let slice = 0; slice < slices; slice += 1) {
      for (const [i, s] of servers.entries()) {
        const before = await processCpuMs(s.pid);
        const result = await closedLoop(pools[i]!, s.target, { concurrency: connections, durationMs: sliceMs });
        cpuUs[i]!.push((((await processCpuMs(s.pid)) - before) * 1000) / result.requests);
        rates[i]!.push(result.requestsPerSecond);
        if (result.errors > 0) log(`${s.name}: ${result.errors} requests failed or were not a clean allow`);
      }
    }
    const baselineRate = median(rates[0]!);
    for (const [i, s] of servers.entries()) {
      const rate = median(rates[i]!);
      const perSlice = rates[i]!.map((r) => (r / 1000).toFixed(1)).join(' ');
      log(
        `${(rate / baselineRate).toFixed(3)}  ${rate.toFixed(0).padStart(6)} req/s  ${median(cpuUs[i]!).toFixed(1).padStart(6)} µs CPU/request  (k req/s per slice: ${perSlice})  ${s.name}`,
      );
    }
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
} finally {
  await Promise.all(servers.map((s) => s.stop()));
  await bench.close();
}
