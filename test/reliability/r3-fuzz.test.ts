/**
 * docs/design.md §7.2 R3: malformed AdmissionReviews. At least 10,000 generated mutations (seeded; the seed is printed
 * and PULLGUARD_FUZZ_SEED replays it) go through the real webhook app in-process (`inject()`, offline engine, so
 * nothing touches the network), then 300 more over HTTPS against the built `pullguard serve`, whose registry
 * checks all end at the SSRF guard (every address blocked). Every answer is a 400 with a JSON error or a 200 the
 * API server accepts for the uid it sent; never a 500; the process stays up.
 */
import { Worker } from 'node:worker_threads';
import t, { type Test } from 'tap';
import { answerProblems } from './support/answer-checks.js';
import { startBuiltServer } from '../helpers/built-server.js';
import type { FuzzWorkerData, FuzzWorkerMessage } from './support/fuzz-worker.js';
import { createPrng, generateCase } from './support/review-fuzzer.js';

const IN_PROCESS_CASES = 10_000;
const HTTPS_CASES = 300;
const seed = Number(process.env['PULLGUARD_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
t.comment(`fuzz seed ${seed} (replay with PULLGUARD_FUZZ_SEED=${seed})`);

/** Collects failures per mutation family, so one bug does not print 10,000 lines. */
function tally() {
  const byFamily = new Map<string, { count: number; example: string }>();
  const families = new Map<string, number>();
  return {
    record(fuzzCase: { family: string; head: string }, index: number, problems: readonly string[]) {
      families.set(fuzzCase.family, (families.get(fuzzCase.family) ?? 0) + 1);
      if (problems.length === 0) return;
      const entry = byFamily.get(fuzzCase.family) ?? {
        count: 0,
        example: `case #${index}: ${problems.join('; ')}${fuzzCase.head ? ` (body starts ${JSON.stringify(fuzzCase.head)})` : ''}`,
      };
      entry.count++;
      byFamily.set(fuzzCase.family, entry);
    },
    report(t: Test) {
      t.comment(`cases per family: ${[...families].map(([f, n]) => `${f}=${n}`).join(' ')}`);
      t.same(
        [...byFamily].map(([family, e]) => `${family}: ${e.count} wrong, e.g. ${e.example}`),
        [],
        'every answer is a 400 JSON error or a valid AdmissionReview',
      );
    },
  };
}

/** Hand-written worst cases: huge strings where they end up in messages (images, names), 200 long images. */
function fixedCases(): { family: string; body: string }[] {
  const review = (spec: object, name = 'web') =>
    JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: `fixed-${name.length}`,
        kind: { group: '', version: 'v1', kind: 'Pod' },
        resource: { group: '', version: 'v1', resource: 'pods' },
        namespace: 'shop',
        operation: 'CREATE',
        userInfo: { username: 'a' },
        object: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop' }, spec },
      },
    });
  return [
    {
      family: 'fixed: 1 MB image of control characters',
      body: review({ containers: [{ name: 'c', image: '\u001f'.repeat(1024 * 1024) }] }),
    },
    {
      family: 'fixed: 1 MB image of quotes',
      body: review({ containers: [{ name: 'c', image: '"'.repeat(1024 * 1024) }] }),
    },
    {
      family: 'fixed: 1 MB uppercase image',
      body: review({ containers: [{ name: 'c', image: 'A'.repeat(1024 * 1024) }] }),
    },
    {
      family: 'fixed: 1 MB container name',
      body: review({ containers: [{ name: 'n'.repeat(1024 * 1024), image: 'Bad:Image' }] }),
    },
    {
      family: 'fixed: 1 MB object name',
      body: review({ containers: [{ name: 'c', image: 'Bad:Image' }] }, '\u0007'.repeat(1024 * 1024)),
    },
    {
      family: 'fixed: 200 containers with 4 KiB invalid images',
      body: review({
        containers: Array.from({ length: 200 }, (_, i) => ({ name: `c${i}`, image: `${'U'.repeat(4096)}${i}` })),
      }),
    },
    // Issue 13: 7 MB of nesting (it froze the loop for seconds), a million tiny objects, and a review the API server
    // sends at 7.44 MiB (1.24 MiB of `<>&`, each escaped to six bytes), which must be checked, not refused.
    {
      family: 'fixed: 7 MB of nesting',
      body: review({ containers: [{ name: 'c', image: 'a:1' }], deep: '__DEEP__' } as object).replace(
        '"__DEEP__"',
        `${'['.repeat(3_500_000)}${']'.repeat(3_500_000)}`,
      ),
    },
    {
      family: 'fixed: a million empty objects',
      body: review({ containers: [{ name: 'c', image: 'a:1' }], junk: '__JUNK__' } as object).replace(
        '"__JUNK__"',
        `[${'{},'.repeat(1_000_000)}{}]`,
      ),
    },
    {
      family: 'fixed: 7.44 MiB escaped review',
      body: review({ containers: [{ name: 'c', image: 'a:1', args: ['<>&'.repeat(430_000)] }] }).replace(
        /[<>&]/g,
        (c) => `\\u00${c.charCodeAt(0).toString(16)}`,
      ),
    },
  ];
}

/** Longest a single case may block the worker before the test calls it a hang. */
const CASE_STALL_MS = 20_000;
/** The whole in-process round, fixed cases included. */
const ROUND_LIMIT_MS = 150_000;

t.test(`in-process: ${IN_PROCESS_CASES} mutations through POST /validate`, async (t) => {
  const results = tally();
  const statuses = new Map<number, number>();
  const fixed = fixedCases();
  const worker = new Worker(new URL('./support/fuzz-worker.ts', import.meta.url), {
    workerData: { seed, count: IN_PROCESS_CASES, fixed } satisfies FuzzWorkerData,
  });
  const started = performance.now();
  const outcome = await new Promise<{ done?: FuzzWorkerMessage & { type: 'done' }; stalled?: string; error?: unknown }>(
    (resolve) => {
      let current: (FuzzWorkerMessage & { type: 'case' }) | undefined;
      let caseStarted = performance.now();
      const watchdog = setInterval(() => {
        const now = performance.now();
        if (current && now - caseStarted > CASE_STALL_MS)
          resolve({
            stalled: `case #${current.index} (${current.family}, ${current.size} bytes) ran over ${CASE_STALL_MS} ms; body starts ${JSON.stringify(current.head)}`,
          });
        else if (now - started > ROUND_LIMIT_MS)
          resolve({ stalled: `the round ran over ${ROUND_LIMIT_MS} ms at case #${current?.index}` });
      }, 500);
      watchdog.unref();
      worker.on('message', (message: FuzzWorkerMessage) => {
        if (message.type === 'case') {
          current = message;
          caseStarted = performance.now();
        } else if (message.type === 'result') {
          statuses.set(message.status, (statuses.get(message.status) ?? 0) + 1);
          results.record({ family: message.family, head: current?.head ?? '' }, message.index, message.problems);
          current = undefined;
        } else {
          clearInterval(watchdog);
          resolve({ done: message });
        }
      });
      worker.on('error', (error) => {
        clearInterval(watchdog);
        resolve({ error });
      });
    },
  );
  await worker.terminate();
  t.comment(
    `${[...statuses.values()].reduce((a, b) => a + b, 0)} of ${IN_PROCESS_CASES + fixed.length} cases answered in ${Math.round(performance.now() - started)} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
  );
  t.equal(outcome.stalled, undefined, 'no case blocks the event loop (a super-linear path would stall every review)');
  t.equal(outcome.error, undefined, 'the app never throws out of inject()');
  results.report(t);
  if (outcome.done) {
    t.ok(
      (statuses.get(200) ?? 0) > IN_PROCESS_CASES / 10,
      'a good share of mutations are still reviews (the generator is not all noise)',
    );
    t.ok((statuses.get(400) ?? 0) > IN_PROCESS_CASES / 10, 'and a good share are rejected as malformed');
    t.equal(outcome.done.unhandledRejections, 0, 'no unhandled rejection');
    t.equal(outcome.done.uncaughtExceptions, 0, 'no uncaught exception');
  }
});

t.test(`the built pullguard serve over HTTPS: ${HTTPS_CASES} mutations, the process stays up`, async (t) => {
  const server = await startBuiltServer({
    config: {
      credentials: { kubernetes: false },
      network: { budget: '1s', requestTimeout: '500ms', blockedCidrs: ['0.0.0.0/0', '::/0'] },
    },
  });
  t.teardown(() => server.stop());
  const random = createPrng(seed + 1);
  const results = tally();
  let unanswered = 0;
  for (let i = 0; i < HTTPS_CASES; i++) {
    const fuzzCase = generateCase(random);
    // Every fifth case on a fresh TLS connection, the rest on keep-alive, like an API server under churn.
    const head = fuzzCase.body.subarray(0, 160).toString('utf8');
    let answer;
    try {
      answer = await server.post(fuzzCase.body, i % 5 === 0 ? { agent: false } : {});
    } catch (error) {
      results.record({ family: fuzzCase.family, head }, i, [`no answer: ${(error as Error).message}`]);
      if (++unanswered >= 3) break; // the server is stuck or gone; the asserts below say so
      continue;
    }
    results.record(
      { family: fuzzCase.family, head },
      i,
      answerProblems(fuzzCase.body, { statusCode: answer.statusCode, raw: Buffer.from(answer.body, 'utf8') }),
    );
  }
  results.report(t);
  t.equal(server.child.exitCode, null, 'the server process is still running');
  t.equal((await server.health('/healthz')).statusCode, 200, 'and live');
  t.equal((await server.health('/readyz')).statusCode, 200, 'and ready');
  t.same(
    server.stderr.filter((line) => line.trim() !== ''),
    [],
    'nothing on stderr',
  );
});
