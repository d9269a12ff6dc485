/**
 * P1 for several builds of pullguard side by side, for experiments, measured like P1 (lib/pinned-rounds.ts): every
 * server pinned to the server CPU, wrk on the load CPU, the same warm Deployment review in alternating rounds after a
 * warm-up each. Prints each build's median throughput, its median ratio to the bare fastify baseline (per round) and
 * its server CPU per request.
 *
 * A build is a folder with `dist/` (from `npm run build`, edited or not), the `Dockerfile` (its ENTRYPOINT's node
 * flags are used) and `node_modules` (a symlink to the project's will do):
 *
 *   mkdir /tmp/variant && cp -r dist Dockerfile /tmp/variant/ && ln -s "$PWD/node_modules" /tmp/variant/
 *   npm run bench:compare -- . /tmp/variant
 *
 * Environment: BENCH_SLICES (rounds, default 5), BENCH_SLICE_MS (default 2000), BENCH_WARMUP_MS (per server,
 * default 4000), BENCH_CONNECTIONS (default 16), BENCH_NODE_FLAGS (extra flags for the pullguard builds),
 * BENCH_PERF_MAP=1 (every server runs with `--perf-basic-prof`, so `perf record -g -p <pid>` names JavaScript
 * frames; the pids are printed), BENCH_PIN=0 (no pinning). Two process starts of one build differ by up to ~10%:
 * list a build twice to see it.
 */
import path from 'node:path';
import { deploymentReview, VALIDATE_PATH } from './lib/admission-review.js';
import { startBaseline } from './lib/baseline-process.js';
import { cpuLayout, withBenchOnLoadCpu } from './lib/cpu-pinning.js';
import { setUpEnvironment } from './lib/environment.js';
import { median } from './lib/load.js';
import { measureRounds, medianOf, roundRatios, type PinnedServer } from './lib/pinned-rounds.js';
import { startPullguard } from './lib/pullguard-process.js';
import { writeWrkScript, wrkAvailable } from './lib/wrk.js';
import { pushWarmImages } from './figures/throughput.js';

const env = process.env;
const builds = process.argv.slice(2).map((root) => path.resolve(root));
if (builds.length === 0) {
  process.stderr.write('usage: npm run bench:compare -- <build folder>...\n');
  process.exit(2);
}
const missing = wrkAvailable();
if (missing) {
  process.stderr.write(`bench:compare: ${missing}\n`);
  process.exit(2);
}
const rounds = Number(env['BENCH_SLICES'] ?? 5);
const sliceMs = Number(env['BENCH_SLICE_MS'] ?? 2000);
const connections = Number(env['BENCH_CONNECTIONS'] ?? 16);
const warmUpMs = Number(env['BENCH_WARMUP_MS'] ?? 4000);
const perfMap = env['BENCH_PERF_MAP'] === '1' ? ['--perf-basic-prof'] : [];
const extraFlags = [...perfMap, ...(env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter(Boolean)];
const repoRoot = path.resolve(import.meta.dirname, '..');
const log = (line: string): void => void process.stdout.write(`${line}\n`);

log(cpuLayout().description);
const bench = await setUpEnvironment({ repoRoot, durationMs: sliceMs, connections, log });
const stops: (() => Promise<void>)[] = [];
try {
  const body = deploymentReview({ images: await pushWarmImages(bench), name: 'warm' });
  const script = await writeWrkScript(bench.workDir, 'compare', body);
  const baseline = await startBaseline({
    repoRoot,
    certDir: bench.certDir,
    caPem: bench.caPem,
    nodeFlags: perfMap,
    pinned: true,
  });
  stops.push(() => baseline.stop());
  const servers: PinnedServer[] = [
    { name: 'bare fastify', pid: baseline.pid, target: { url: `${baseline.origin}${VALIDATE_PATH}`, script } },
  ];
  for (const [i, root] of builds.entries()) {
    const server = await startPullguard({
      name: `build${i}`,
      repoRoot: root,
      workDir: bench.workDir,
      certDir: bench.certDir,
      config: bench.serverConfig,
      nodeFlags: extraFlags,
      pinned: true,
    });
    stops.push(() => server.stop());
    servers.push({ name: root, pid: server.pid, target: { url: `${server.origin}${VALIDATE_PATH}`, script } });
  }
  log(servers.map((s) => `${s.name}: pid ${s.pid}`).join('\n'));
  const measured = await withBenchOnLoadCpu(() =>
    measureRounds(servers, { connections, warmUpMs, sliceMs, rounds, log }),
  );
  const [bare] = measured;
  for (const server of measured) {
    if (!bare) break;
    const ratios = roundRatios(server, bare);
    const errors = server.slices.reduce((n, slice) => n + slice.errors, 0);
    log(
      `${median(ratios).toFixed(3)}  ${medianOf(server, 'requestsPerSecond').toFixed(0).padStart(6)} req/s  ${medianOf(server, 'cpuUsPerRequest').toFixed(1).padStart(6)} µs CPU/request  (ratios per round: ${ratios.map((r) => r.toFixed(3)).join(' ')}${errors ? `; ${errors} errors` : ''})  ${server.name}`,
    );
  }
} finally {
  for (const stop of stops) await stop();
  await bench.close();
}
