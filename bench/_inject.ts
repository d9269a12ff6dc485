import { pushImage, startRegistry } from '../test/harness/registry/index.js';
import { deploymentReview, VALIDATE_PATH } from './lib/admission-review.js';
// @ts-ignore
import { buildConfig } from '../dist/config/load-config.js';
// @ts-ignore
import { composeEngine } from '../dist/cli/compose-engine.js';
// @ts-ignore
import { buildWebhookApp } from '../dist/server/webhook-app.js';
// @ts-ignore
import { loggerOptions } from '../dist/observability/logger.js';
// @ts-ignore
import { createMetrics } from '../dist/observability/metrics.js';
import { pino } from 'pino';
import fastify from 'fastify';

const reg = await startRegistry({ mode: 'plain' });
const imgs: string[] = [];
for (const r of ['a', 'b', 'c']) imgs.push((await pushImage(reg, { repository: `w/${r}`, tags: ['1.0'], format: 'oci-manifest' })).reference);
const body = deploymentReview({ images: imgs });
const config = buildConfig({ credentials: { kubernetes: false }, platforms: ['linux/amd64'], registries: [{ host: reg.host, plainHttp: true }] }).config;
const metrics = createMetrics();
const engine = await composeEngine({ config, metrics, env: {}, homeDir: '/nonexistent' });
const dest = process.env.LOGDEST ?? '/dev/null';
const logger = pino(loggerOptions(process.env.LEVEL ?? 'info'), pino.destination({ dest, sync: true }));
const app = buildWebhookApp({ config, reviewer: engine.reviewer, metrics, logger });
const base = fastify({ logger: false, bodyLimit: 7 * 1024 * 1024 });
base.post('/validate', async (request: any) => ({ apiVersion: request.body.apiVersion, kind: request.body.kind, response: { uid: request.body.request.uid, allowed: true } }));
const N = 20000;
for (const [name, a] of [['pullguard', app], ['baseline', base], ['pullguard', app], ['baseline', base]] as const) {
  for (let i = 0; i < 2000; i++) await a.inject({ method: 'POST', url: VALIDATE_PATH, headers: { 'content-type': 'application/json' }, payload: body });
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const r = await a.inject({ method: 'POST', url: VALIDATE_PATH, headers: { 'content-type': 'application/json' }, payload: body });
    if (r.statusCode !== 200) throw new Error(r.body);
  }
  const c = process.cpuUsage(c0);
  console.log(name.padEnd(10), ((c.user + c.system) / N).toFixed(1), 'µs cpu/req', (((performance.now() - t0) * 1000) / N).toFixed(1), 'µs wall/req');
}
await engine.close(); await reg.stop();
