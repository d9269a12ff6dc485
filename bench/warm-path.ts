/**
 * The warm review's own CPU, in process, for experiments on P1: the built webhook app (dist/) and a bare fastify app
 * with the same body parser answer the same warm Deployment review through `inject()` (no sockets, no TLS), in
 * alternating batches; the fastest batch of each is its cost. Steadier than P1 on a busy host, since both apps share
 * the one thread and nothing waits for the network.
 * Usage: npm run build && node --import ./bench/ts-hooks.mjs bench/warm-path.ts [dist folder...] (default: dist)
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import fastify from 'fastify';
import pino from 'pino';
import { deploymentReview, isCleanAllow, VALIDATE_PATH } from './lib/admission-review.js';
import { setUpEnvironment } from './lib/environment.js';
import { median } from './lib/load.js';
import { pushWarmImages } from './figures/throughput.js';

const repoRoot = path.resolve(import.meta.dirname, '..');
const dists = (process.argv.length > 2 ? process.argv.slice(2) : [path.join(repoRoot, 'dist')]).map((d) =>
  path.resolve(d),
);
const BATCH = Number(process.env['BENCH_BATCH'] ?? 1000);
const BATCHES = Number(process.env['BENCH_BATCHES'] ?? 30);
const log = (line: string): void => void process.stdout.write(`${line}\n`);

interface App {
  inject(options: object): Promise<{ statusCode: number; body: string }>;
  ready(): Promise<unknown>;
  close(): Promise<unknown>;
}

/** The webhook app of one build, composed like `serve` does (without Kubernetes). */
async function webhookOf(
  dist: string,
  configPath: string,
  homeDir: string,
): Promise<{ app: App; close(): Promise<void> }> {
  const { loadConfigFile } = await import(path.join(dist, 'cli/load-config-file.js'));
  const { composeEngine } = await import(path.join(dist, 'cli/compose-engine.js'));
  const { createMetrics } = await import(path.join(dist, 'observability/metrics.js'));
  const { createLoggers } = await import(path.join(dist, 'observability/logger.js'));
  const { buildWebhookApp } = await import(path.join(dist, 'server/webhook-app.js'));
  const config = await loadConfigFile(configPath);
  const metrics = createMetrics();
  const engine = await composeEngine({ config, metrics, env: {}, homeDir });
  const destination = pino.destination({ dest: '/dev/null', sync: false });
  const loggers = createLoggers(process.env['LOG_LEVEL'] ?? 'info', destination);
  const app = buildWebhookApp({
    config,
    reviewer: engine.reviewer,
    metrics,
    logger: loggers.logger,
    reviewLogger: loggers.reviews,
  });
  await app.ready();
  return {
    app,
    close: async () => {
      await app.close();
      await engine.close();
    },
  };
}

const env = await setUpEnvironment({ repoRoot, durationMs: 0, connections: 1, log });
try {
  const body = deploymentReview({ images: await pushWarmImages(env), name: 'warm' });
  const configPath = path.join(env.workDir, 'warm-path.config.yaml');
  await writeFile(configPath, JSON.stringify(env.serverConfig));
  const bare = fastify({ logger: false, bodyLimit: 7 * 1024 * 1024 });
  bare.post('/validate', async (request) => {
    const review = request.body as { apiVersion: string; kind: string; request: { uid: string } };
    return { apiVersion: review.apiVersion, kind: review.kind, response: { uid: review.request.uid, allowed: true } };
  });
  await bare.ready();
  const builds: { name: string; app: App; close(): Promise<void> }[] = [];
  for (const dist of dists) builds.push({ name: dist, ...(await webhookOf(dist, configPath, env.workDir)) });
  const post = { method: 'POST', url: VALIDATE_PATH, headers: { 'content-type': 'application/json' }, payload: body };
  for (const build of builds) {
    const first = await build.app.inject(post);
    if (!isCleanAllow(first.statusCode, first.body))
      throw new Error(`${build.name}: not a clean allow: ${first.body.slice(0, 300)}`);
  }
  const batch = async (target: App): Promise<number> => {
    const started = process.cpuUsage();
    for (let i = 0; i < BATCH; i += 1) await target.inject(post);
    const used = process.cpuUsage(started);
    return (used.user + used.system) / BATCH;
  };
  const targets: { name: string; app: App }[] = [{ name: 'bare fastify', app: bare as unknown as App }, ...builds];
  for (let i = 0; i < 3; i += 1) for (const target of targets) await batch(target.app);
  const cost = targets.map((): number[] => []);
  for (let i = 0; i < BATCHES; i += 1)
    for (const [t, target] of targets.entries()) cost[t]?.push(await batch(target.app));
  // On a busy host a batch only ever gets slower: the fastest batch is the best estimate of the cost itself.
  const fastest = cost.map((values) => Math.min(...values));
  const bareFastest = fastest[0] ?? NaN;
  for (const [t, target] of targets.entries()) {
    const best = fastest[t] ?? NaN;
    const medianText = median(cost[t] ?? []).toFixed(1);
    log(
      `fastest ${best.toFixed(1).padStart(6)} µs/request (×${(best / bareFastest).toFixed(2)} of bare), median ${medianText}  ${target.name}`,
    );
  }
  await bare.close();
  for (const build of builds) await build.close();
} finally {
  await env.close();
}
