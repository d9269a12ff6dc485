/**
 * Runs fuzz cases through the real webhook app (`inject()`, offline engine) inside a worker thread, so the test
 * can stop a case that blocks the event loop (a super-linear code path) instead of hanging until tap's timeout.
 * Protocol: workerData `{seed, count, fixed}`; posts `{type: 'case', index, family, size}` before each case,
 * `{type: 'result', index, family, problems, status}` after it, and `{type: 'done', ...}` at the end.
 */
import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { composeEngine } from '../../../src/cli/compose-engine.js';
import { buildConfig } from '../../../src/config/load-config.js';
import { loggerOptions } from '../../../src/observability/logger.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { buildWebhookApp } from '../../../src/server/webhook-app.js';
import { answerProblems } from './answer-checks.js';
import { createPrng, generateCase, type FuzzCase } from './review-fuzzer.js';

export interface FuzzWorkerData {
  readonly seed: number;
  readonly count: number;
  /** Hand-written cases run before the generated ones. */
  readonly fixed: readonly { family: string; body: string }[];
}

export type FuzzWorkerMessage =
  | { type: 'case'; index: number; family: string; size: number; head: string }
  | { type: 'result'; index: number; family: string; status: number; problems: string[] }
  | { type: 'done'; unhandledRejections: number; uncaughtExceptions: number; logBytes: number };

const data = workerData as FuzzWorkerData;
const port = parentPort;
if (!port) throw new Error('fuzz-worker must run in a worker thread');
let unhandledRejections = 0;
let uncaughtExceptions = 0;
process.on('unhandledRejection', () => unhandledRejections++);
process.on('uncaughtException', () => uncaughtExceptions++);

const built = buildConfig({ credentials: { kubernetes: false } });
if (!built.ok) throw new Error(built.problems.join('; '));
let logBytes = 0;
const logger = pino(
  loggerOptions('info'),
  new Writable({ write: (chunk: Buffer, _e, done) => ((logBytes += chunk.length), done()) }),
);
const engine = await composeEngine({ config: built.config, offline: true });
const app = buildWebhookApp({
  config: built.config,
  reviewer: engine.reviewer,
  metrics: createMetrics({ processMetrics: false }),
  logger,
});
await app.ready();

const random = createPrng(data.seed);
const cases: (() => FuzzCase)[] = [
  ...data.fixed.map((c) => () => ({ family: c.family, body: Buffer.from(c.body, 'utf8') })),
  ...Array.from({ length: data.count }, () => () => generateCase(random)),
];
for (const [index, next] of cases.entries()) {
  const fuzzCase = next();
  port.postMessage({
    type: 'case',
    index,
    family: fuzzCase.family,
    size: fuzzCase.body.length,
    head: fuzzCase.body.subarray(0, 160).toString('utf8'),
  } satisfies FuzzWorkerMessage);
  const response = await app.inject({
    method: 'POST',
    url: '/validate?timeout=10s',
    headers: { 'content-type': 'application/json' },
    payload: fuzzCase.body,
  });
  const problems = answerProblems(fuzzCase.body, { statusCode: response.statusCode, raw: response.rawPayload });
  port.postMessage({
    type: 'result',
    index,
    family: fuzzCase.family,
    status: response.statusCode,
    problems,
  } satisfies FuzzWorkerMessage);
}
await app.close();
port.postMessage({ type: 'done', unhandledRejections, uncaughtExceptions, logBytes } satisfies FuzzWorkerMessage);
