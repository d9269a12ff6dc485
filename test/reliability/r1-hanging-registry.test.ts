/**
 * docs/design.md §7.2 R1: a registry that accepts TCP and never answers. Every review is still answered inside the API
 * server's timeout (here `?timeout=3s`, so pullguard's budget is 2 s), with the `timeout` class and its policy
 * applied: warn by default, deny when the admin says so. Measured in-process (50 concurrent reviews) and against
 * the built `pullguard serve` over HTTPS, which is what the API server actually waits on.
 */
import t from 'tap';
import { startFaultServer } from '../harness/registry/index.js';
import { apiServerProblems, answerView } from '../helpers/api-server-checks.js';
import { admissionReview, deployment, startWebhookUnderTest } from '../helpers/engine-webhook.js';
import { startBuiltServer } from '../helpers/built-server.js';
import { countProcessFailures } from './support/process-guards.js';

const API_SERVER_TIMEOUT_MS = 3000;
const REVIEWS = 50;
const DISTINCT = 40; // the other 10 share one image, so coalescing is exercised too

const failures = countProcessFailures();
t.teardown(() => failures.dispose());

const hang = await startFaultServer('hang');
t.teardown(() => hang.close());

/** 40 reviews of distinct images (nothing coalesces) and 10 of one shared image. */
function reviews(prefix: string): { uid: string; body: object }[] {
  return Array.from({ length: REVIEWS }, (_, i) => {
    const image = i < DISTINCT ? `${hang.host}/team/${prefix}-${i}:1.0` : `${hang.host}/team/${prefix}-shared:1.0`;
    const body = admissionReview(deployment(`${prefix}-${i}`, [image])) as { request: { uid: string } };
    return { uid: body.request.uid, body };
  });
}

const baseConfig = { registries: [{ host: '127.0.0.1:*', plainHttp: true }], credentials: { kubernetes: false } };

for (const [policy, allowed] of [
  ['warn', true],
  ['deny', false],
] as const) {
  t.test(`in-process: 50 concurrent reviews against a hanging registry, timeout policy ${policy}`, async (t) => {
    const webhook = await startWebhookUnderTest({ config: { ...baseConfig, policy: { timeout: policy } } });
    t.teardown(() => webhook.close());
    const batch = reviews(`inproc-${policy}`);
    const connectionsBefore = hang.hits();
    const answers = await Promise.all(batch.map(({ body }) => webhook.review(body, { timeout: '3s' })));
    t.ok(hang.hits() > connectionsBefore, 'the hanging registry was really contacted');
    const slowest = Math.max(...answers.map((a) => a.elapsedMs));
    t.comment(`slowest in-process answer: ${Math.round(slowest)} ms`);
    answers.forEach((answer, i) => {
      const uid = batch[i]!.uid;
      t.ok(answer.elapsedMs < API_SERVER_TIMEOUT_MS, `review ${i} answered in ${Math.round(answer.elapsedMs)} ms`);
      t.same(
        apiServerProblems({ statusCode: answer.statusCode, body: answer.raw }, uid),
        [],
        `review ${i}: the API server accepts it`,
      );
      const view = answerView(answer.raw);
      t.equal(view.allowed, allowed, `review ${i}: ${allowed ? 'admitted' : 'denied'}`);
      t.same(
        view.findings.map((f) => [f.class, f.action]),
        [['timeout', policy]],
        `review ${i}: one timeout finding, action ${policy}`,
      );
    });
    if (policy === 'warn') {
      t.match(
        answers[0]!.body.response.warnings.join('\n'),
        /registry timeout after [\d.]+s\); admitted anyway/,
        'the warning says why',
      );
    } else {
      t.match(answers[0]!.body.response.status.message, /1 of 1 image/, 'the denial names the image');
    }
  });
}

t.test('the built pullguard serve over HTTPS: every review of a hanging registry answered inside 3 s', async (t) => {
  const server = await startBuiltServer({ config: baseConfig });
  t.teardown(() => server.stop());
  const batch = reviews('e2e');
  const timed = await Promise.all(
    batch.map(async ({ body }) => {
      const started = performance.now();
      const answer = await server.post(JSON.stringify(body), { timeout: '3s', clientTimeoutMs: 10_000 });
      return { answer, elapsedMs: performance.now() - started };
    }),
  );
  const slowest = Math.max(...timed.map((x) => x.elapsedMs));
  t.comment(`slowest HTTPS answer (TLS handshake included): ${Math.round(slowest)} ms`);
  timed.forEach(({ answer, elapsedMs }, i) => {
    t.ok(elapsedMs < API_SERVER_TIMEOUT_MS, `review ${i} answered in ${Math.round(elapsedMs)} ms`);
    t.same(apiServerProblems(answer, batch[i]!.uid), [], `review ${i}: the API server accepts it`);
    const view = answerView(answer.body);
    t.equal(view.allowed, true);
    t.same(
      view.findings.map((f) => f.class),
      ['timeout'],
    );
  });
  t.equal((await server.health('/readyz')).statusCode, 200, 'a hanging registry never affects readiness');
  t.equal(server.child.exitCode, null, 'the server is still running');
});

t.test('no unhandled rejection or uncaught exception in-process', async (t) => {
  t.equal(failures.unhandledRejections(), 0, failures.describe());
  t.equal(failures.uncaughtExceptions(), 0, failures.describe());
});
