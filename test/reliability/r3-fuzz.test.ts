/**
 * SPEC §6 R3: malformed AdmissionReviews. At least 10,000 generated mutations (seeded; the seed is printed and
 * PULLGUARD_FUZZ_SEED replays it) go through the real webhook app in-process (`inject()`, offline engine, so
 * nothing touches the network), then 300 more over HTTPS against the built `pullguard serve`, whose registry
 * checks all end at the SSRF guard (every address blocked). Every answer is a 400 with a JSON error or a 200 the
 * API server accepts for the uid it sent; never a 500; the process stays up.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import t from 'tap';
import { composeEngine } from '../../src/cli/compose-engine.js';
import { buildConfig } from '../../src/config/load-config.js';
import { loggerOptions } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { buildWebhookApp } from '../../src/server/webhook-app.js';
import { answerProblems } from './support/answer-checks.js';
import { startBuiltServer } from './support/built-server.js';
import { countProcessFailures } from './support/process-guards.js';
import { createPrng, generateCase, type FuzzCase } from './support/review-fuzzer.js';

const IN_PROCESS_CASES = 10_000;
const HTTPS_CASES = 300;
const seed = Number(process.env['PULLGUARD_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
t.comment(`fuzz seed ${seed} (replay with PULLGUARD_FUZZ_SEED=${seed})`);

const failures = countProcessFailures();
t.teardown(() => failures.dispose());

/** Collects failures per mutation family, so one bug does not print 10,000 lines. */
function tally() {
  const byFamily = new Map<string, { count: number; example: string }>();
  const families = new Map<string, number>();
  return {
    record(fuzzCase: FuzzCase, index: number, problems: readonly string[]) {
      families.set(fuzzCase.family, (families.get(fuzzCase.family) ?? 0) + 1);
      if (problems.length === 0) return;
      const entry = byFamily.get(fuzzCase.family) ?? { count: 0, example: `case #${index}: ${problems.join('; ')} (body starts ${JSON.stringify(fuzzCase.body.subarray(0, 160).toString('utf8'))})` };
      entry.count++;
      byFamily.set(fuzzCase.family, entry);
    },
    report(t: Tap.Test) {
      t.comment(`cases per family: ${[...families].map(([f, n]) => `${f}=${n}`).join(' ')}`);
      t.same([...byFamily].map(([family, e]) => `${family}: ${e.count} wrong, e.g. ${e.example}`), [], 'every answer is a 400 JSON error or a valid AdmissionReview');
    },
  };
}

t.test(`in-process: ${IN_PROCESS_CASES} mutations through POST /validate`, async (t) => {
  const built = buildConfig({ credentials: { kubernetes: false } });
  if (!built.ok) throw new Error(built.problems.join('; '));
  let logBytes = 0;
  const logger = pino(loggerOptions('info'), new Writable({ write: (chunk, _e, done) => ((logBytes += chunk.length), done()) }));
  const engine = await composeEngine({ config: built.config, offline: true });
  const app = buildWebhookApp({ config: built.config, reviewer: engine.reviewer, metrics: createMetrics({ processMetrics: false }), logger });
  t.teardown(() => app.close());
  const random = createPrng(seed);
  const results = tally();
  const statuses = new Map<number, number>();
  const started = performance.now();
  for (let i = 0; i < IN_PROCESS_CASES; i++) {
    const fuzzCase = generateCase(random);
    const response = await app.inject({ method: 'POST', url: '/validate?timeout=10s', headers: { 'content-type': 'application/json' }, payload: fuzzCase.body });
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    results.record(fuzzCase, i, answerProblems(fuzzCase.body, { statusCode: response.statusCode, raw: response.rawPayload }));
  }
  t.comment(`${IN_PROCESS_CASES} cases in ${Math.round(performance.now() - started)} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ${logBytes} log bytes`);
  results.report(t);
  t.ok((statuses.get(200) ?? 0) > IN_PROCESS_CASES / 10, 'a good share of mutations are still reviews (the generator is not all noise)');
  t.ok((statuses.get(400) ?? 0) > IN_PROCESS_CASES / 10, 'and a good share are rejected as malformed');
  t.equal(failures.unhandledRejections(), 0, `no unhandled rejection ${failures.describe()}`);
  t.equal(failures.uncaughtExceptions(), 0, `no uncaught exception ${failures.describe()}`);
});

t.test(`the built pullguard serve over HTTPS: ${HTTPS_CASES} mutations, the process stays up`, async (t) => {
  const server = await startBuiltServer({
    config: { credentials: { kubernetes: false }, network: { budget: '1s', requestTimeout: '500ms', blockedCidrs: ['0.0.0.0/0', '::/0'] } },
  });
  t.teardown(() => server.stop());
  const random = createPrng(seed + 1);
  const results = tally();
  for (let i = 0; i < HTTPS_CASES; i++) {
    const fuzzCase = generateCase(random);
    // Every fifth case on a fresh TLS connection, the rest on keep-alive, like an API server under churn.
    const answer = await server.post(fuzzCase.body, i % 5 === 0 ? { agent: false } : {});
    results.record(fuzzCase, i, answerProblems(fuzzCase.body, { statusCode: answer.statusCode, raw: Buffer.from(answer.body, 'utf8') }));
  }
  results.report(t);
  t.equal(server.child.exitCode, null, 'the server process is still running');
  t.equal((await server.health('/healthz')).statusCode, 200, 'and live');
  t.equal((await server.health('/readyz')).statusCode, 200, 'and ready');
  t.same(server.stderr.filter((line) => line.trim() !== ''), [], 'nothing on stderr');
});
