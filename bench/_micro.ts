import { pushImage, startRegistry } from '../test/harness/registry/index.js';
import { deploymentReview } from './lib/admission-review.js';
// @ts-ignore
import { buildConfig } from '../dist/config/load-config.js';
// @ts-ignore
import { composeEngine } from '../dist/cli/compose-engine.js';
// @ts-ignore
import { decodeReview } from '../dist/admission/decode-review.js';
// @ts-ignore
import { answerFor, logFindings } from '../dist/review/render-outcome.js';
// @ts-ignore
import { buildResponse } from '../dist/admission/build-response.js';
// @ts-ignore
import { loggerOptions } from '../dist/observability/logger.js';
// @ts-ignore
import { createMetrics } from '../dist/observability/metrics.js';
import { pino } from 'pino';
import { openSync } from 'node:fs';

const reg = await startRegistry({ mode: 'plain' });
const imgs: string[] = [];
for (const r of ['a', 'b', 'c']) imgs.push((await pushImage(reg, { repository: `w/${r}`, tags: ['1.0'], format: 'oci-manifest' })).reference);
const body = deploymentReview({ images: imgs });
const res = buildConfig({ credentials: { kubernetes: false }, platforms: ['linux/amd64'], registries: [{ host: reg.host, plainHttp: true }] });
const config = res.config;
const metrics = createMetrics();
const engine = await composeEngine({ config, metrics, env: {}, homeDir: '/nonexistent' });
const input = (admission: any, signal: AbortSignal) => ({ kind: admission.kind, operation: admission.operation, namespace: admission.namespace, name: admission.name, object: admission.object, oldObject: admission.oldObject ?? undefined, signal });
const first = decodeReview(JSON.parse(body));
console.log(JSON.stringify(answerFor(await engine.reviewer.review(input(first.request, AbortSignal.timeout(8000))))));
const logger = pino(loggerOptions('info'), pino.destination({ dest: '/dev/null', sync: true }));
const N = 20000;
async function time(name: string, fn: () => unknown | Promise<unknown>) {
  for (let i = 0; i < 2000; i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await fn();
  console.log(name.padEnd(28), (((performance.now() - t0) * 1000) / N).toFixed(1), 'µs');
}
const parsed = JSON.parse(body);
const dec = decodeReview(parsed);
if (process.env.ONLY_REVIEW) { const t0=performance.now(); for (let i=0;i<60000;i++) await engine.reviewer.review(input(dec.request, AbortSignal.timeout(8000))); console.log('review only', ((performance.now()-t0)*1000/60000).toFixed(1)); await engine.close(); await reg.stop(); process.exit(0); }
await time('JSON.parse', () => JSON.parse(body));
await time('decodeReview', () => decodeReview(parsed));
await time('AbortSignal.timeout', () => AbortSignal.timeout(8000));
const sig = AbortSignal.timeout(100000);
await time('review (shared signal)', () => engine.reviewer.review(input(dec.request, sig)));
await time('review (own signal)', () => engine.reviewer.review(input(dec.request, AbortSignal.timeout(8000))));
const outcome = await engine.reviewer.review(input(dec.request, sig));
await time('answerFor+buildResponse', () => JSON.stringify(buildResponse('u', answerFor(outcome))));
await time('log line', () => logger.info({ uid: 'x', kind: 'Deployment', namespace: 'shop', name: 'web', operation: 'CREATE', dryRun: false, decision: 'allow', durationMs: 1.23, findings: logFindings(outcome) }, 'review'));
await time('metrics', () => { metrics.admissionRequests.inc({ kind: 'Deployment', operation: 'CREATE', decision: 'allow', dry_run: 'false' }); metrics.admissionDuration.observe(0.001); });
await engine.close();
await reg.stop();
