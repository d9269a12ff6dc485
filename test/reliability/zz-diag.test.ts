import { Writable } from 'node:stream';
import { pino } from 'pino';
import t from 'tap';
import { composeEngine } from '../../src/cli/compose-engine.js';
import { buildConfig } from '../../src/config/load-config.js';
import { loggerOptions } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { buildWebhookApp } from '../../src/server/webhook-app.js';
import { createPrng, generateCase } from './support/review-fuzzer.js';

t.test('diag', async (t) => {
  const built = buildConfig({ credentials: { kubernetes: false } });
  if (!built.ok) throw new Error('x');
  const logger = pino(loggerOptions('info'), new Writable({ write: (_c, _e, done) => done() }));
  const engine = await composeEngine({ config: built.config, offline: true });
  const app = buildWebhookApp({ config: built.config, reviewer: engine.reviewer, metrics: createMetrics({ processMetrics: false }), logger });
  const random = createPrng(595370826);
  const per = new Map<string, number>();
  const start = performance.now();
  for (let i = 0; i < 300; i++) {
    const g0 = performance.now();
    const c = generateCase(random);
    process.stderr.write(`start #${i} ${c.family} ${c.body.length}\n`);
    const g1 = performance.now();
    const r = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: c.body });
    const g2 = performance.now();
    per.set(c.family, (per.get(c.family) ?? 0) + (g2 - g0));
    if (g2 - g0 > 100) process.stderr.write(`#${i} ${c.family} gen=${Math.round(g1 - g0)} inject=${Math.round(g2 - g1)} len=${c.body.length} status=${r.statusCode}\n`);
  }
  t.comment(`total ${Math.round(performance.now() - start)} ${JSON.stringify(Object.fromEntries([...per].map(([k, v]) => [k, Math.round(v)])))}`);
  await app.close();
});
