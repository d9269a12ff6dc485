/**
 * The warm review's pieces in a tight loop, in units of one `JSON.parse` of the same body (so figures from a busy
 * host stay comparable): decode, review, answer, log line, metrics. For experiments on P1's warm path.
 * Usage: npm run build && node --import ./bench/ts-hooks.mjs bench/review-units.ts [dist folder=dist]
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import type { AdmissionRequest } from '../src/admission/review-schema.js';
import type { ReviewOutcome } from '../src/review/review-object.js';
import { deploymentReview } from './lib/admission-review.js';
import { setUpEnvironment } from './lib/environment.js';
import { median } from './lib/load.js';
import { pushWarmImages } from './figures/throughput.js';

const repoRoot = path.resolve(import.meta.dirname, '..');
const dist = path.resolve(process.argv[2] ?? path.join(repoRoot, 'dist'));
const N = Number(process.env['BENCH_N'] ?? 20000);
const log = (line: string): void => void process.stdout.write(`${line}\n`);

const env = await setUpEnvironment({ repoRoot, durationMs: 0, connections: 1, log });
try {
  const body = deploymentReview({ images: await pushWarmImages(env), name: 'warm' });
  const configPath = path.join(env.workDir, 'units.config.yaml');
  await writeFile(configPath, JSON.stringify(env.serverConfig));
  const load = async (file: string) => import(path.join(dist, file));
  const { loadConfigFile } = await load('cli/load-config-file.js');
  const { composeEngine } = await load('cli/compose-engine.js');
  const { createMetrics } = await load('observability/metrics.js');
  const { createLoggers } = await load('observability/logger.js');
  const { decodeReview } = await load('admission/decode-review.js');
  const { parseReviewBody } = await load('admission/parse-review-body.js');
  const { answerFor } = await load('review/render-outcome.js');
  const { buildResponse } = await load('admission/build-response.js');
  const { logReview, countReview } = await load('server/review-log.js');
  const { workloadCatalog } = await load('workload/workload-catalog.js');
  const config = await loadConfigFile(configPath);
  const metrics = createMetrics();
  const engine = await composeEngine({ config, metrics, env: {}, homeDir: env.workDir });
  const loggers = createLoggers('info', pino.destination({ dest: '/dev/null', sync: false }));
  const workloads = workloadCatalog(config.workloads);
  const bytes = Buffer.from(body);
  const signal = new AbortController().signal;

  const steps: Record<string, () => unknown> = {};
  let parsedBody: unknown;
  let request = {} as AdmissionRequest;
  let outcome = {} as ReviewOutcome;
  steps['JSON.parse'] = () => JSON.parse(body);
  steps['parse body (depth scan + JSON.parse)'] = () =>
    (parsedBody = (parseReviewBody(bytes) as { value: unknown }).value);
  steps['decode'] = () => (request = decodeReview(parsedBody).request);
  const reviewInput = () => ({
    kind: request.kind,
    operation: request.operation,
    namespace: request.namespace,
    name: request.name,
    object: request.object,
    oldObject: undefined,
    signal,
  });
  const answer = () => buildResponse(request.uid, answerFor(outcome));
  steps['answer'] = answer;
  steps['log line (logging.reviews: all)'] = () => logReview(loggers.reviews, 'all', request, outcome, 'allow', 1.23);
  steps['log line of a clean allow (findings)'] = () =>
    logReview(loggers.reviews, 'findings', request, outcome, 'allow', 1.23);
  steps['metrics'] = () => countReview(metrics, workloads, request, 'allow', 1.23);
  steps['JSON.stringify answer'] = () => JSON.stringify(answer());

  const time = async (fn: () => unknown, isAsync = false): Promise<number> => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < N; i += 1) {
      const value = fn();
      if (isAsync) await value;
    }
    return Number(process.hrtime.bigint() - started) / 1000 / N;
  };
  steps['JSON.parse']();
  steps['parse body (depth scan + JSON.parse)']();
  steps['decode']();
  outcome = await engine.reviewer.review(reviewInput());
  if (outcome.status !== 'reviewed' || outcome.decision.verdict !== 'allow')
    throw new Error(`not a clean allow: ${JSON.stringify(outcome).slice(0, 300)}`);
  const results = new Map<string, number[]>();
  for (let round = 0; round < 7; round += 1) {
    for (const [name, fn] of Object.entries(steps))
      (results.get(name) ?? results.set(name, []).get(name))?.push(await time(fn));
    const reviewUs = await time(() => engine.reviewer.review(reviewInput()), true);
    (results.get('review') ?? results.set('review', []).get('review'))?.push(reviewUs);
  }
  const unit = median(results.get('JSON.parse') ?? []);
  log(`one JSON.parse of the ${bytes.length}-byte body: ${unit.toFixed(2)} µs (median of 7 rounds of ${N})`);
  for (const [name, values] of results)
    log(
      `${(median(values) / unit).toFixed(3).padStart(7)} units  ${median(values).toFixed(2).padStart(7)} µs  ${name}`,
    );
  await engine.close();
} finally {
  await env.close();
}
