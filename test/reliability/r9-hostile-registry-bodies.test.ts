/**
 * R9: a registry that answers correctly by the letter of the spec, with bodies built to cost memory or CPU
 * (support/hostile-registry.ts): digest-correct 3.8 MB image indexes with 8,000 entries and long variants, a
 * distinct one under every tag; a valid manifest nested 1.9 million levels deep; 10,000 tags of ~1,900 characters
 * over five 3.8 MB tags/list pages. Every answer is classified, the event loop never stalls for more than a
 * second, and the built server, with the production heap flags, stays up and small through 60 distinct indexes
 * (it used to die of a V8 heap out-of-memory after about 50).
 */
import { readFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import t from 'tap';
import { productionNodeFlags } from '../../bench/lib/production-node-flags.js';
import { ROOT, startBuiltServer } from '../helpers/built-server.js';
import { admissionReview, deployment, startWebhookUnderTest } from '../helpers/engine-webhook.js';
import { REAL_TAGS, startHostileRegistryWorker, TAG_PAGES } from './support/hostile-registry.js';
import { countProcessFailures } from './support/process-guards.js';

const MAX_EVENT_LOOP_DELAY_MS = 1000;
const MEMORY_REVIEWS = 60;
const MAX_RSS_BYTES = 300 * 1024 * 1024;

const failures = countProcessFailures();
t.teardown(() => failures.dispose());

const config = (registry: string) => ({
  registries: [{ host: registry, plainHttp: true }],
  credentials: { kubernetes: false },
  platforms: ['linux/amd64'],
  network: { requestTimeout: '10s', budget: '20s' },
});

function findings(answer: { body: any }): { class: string; outcome?: string }[] {
  const text = answer.body.response?.auditAnnotations?.findings;
  return text ? JSON.parse(text) : [];
}

t.test('hostile bodies are classified, and the event loop never stalls for a second', async (t) => {
  // HEAD names the size of the first two, so they are never downloaded; the last two must be read whole (4 MiB).
  const indexTags = ['amd64-a', 'junk-a', 'nodigest-amd64-b', 'nodigest-junk-b'];
  const registry = await startHostileRegistryWorker({ prebuild: indexTags });
  t.teardown(() => registry.close());
  const webhook = await startWebhookUnderTest({ config: config(registry.host) });
  t.teardown(() => webhook.close());
  const review = (name: string, image: string) =>
    webhook.review(admissionReview(deployment(name, [`${registry.host}/${image}`])), { timeout: '25s' });

  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const [amd64A, junkA, amd64B, junkB] = await Promise.all(
    indexTags.map((tag, i) => review(`index-${i}`, `hostile/index:${tag}`)),
  );
  const deep = await review('deep', 'hostile/deep:1');
  // 128 characters, the longest tag the grammar allows: the search against 10,000 long tags took ~47 s.
  const missing = await review('missing', `hostile/tags:1.0.2-${'a'.repeat(122)}`);
  // The monitor records a stall when its timer next runs: give it a few turns before reading.
  await new Promise((resolve) => setTimeout(resolve, 50));
  delay.disable();

  for (const [label, answer] of [
    ['amd64-a', amd64A],
    ['amd64-b', amd64B],
  ] as const) {
    t.equal(answer?.statusCode, 200, `${label}: HTTP 200`);
    t.equal(answer?.body.response.allowed, true, `${label}: allowed`);
    t.same(
      findings(answer as { body: any }),
      [],
      `${label}: found, an index too large to read for platforms, no finding`,
    );
  }
  for (const [label, answer] of [
    ['junk-a', junkA],
    ['junk-b', junkB],
  ] as const) {
    t.equal(answer?.body.response.allowed, true, `${label}: allowed`);
    t.same(findings(answer as { body: any }), [], `${label}: too many platforms to keep, so no mismatch is claimed`);
  }
  t.equal(
    registry.indexBodies(),
    2,
    'only the indexes whose HEAD gave no digest were downloaded (hashed, never parsed)',
  );

  t.equal(deep.body.response.allowed, true, 'deep manifest: admitted (an infrastructure problem warns)');
  t.match(findings(deep), [{ class: 'unreachable', outcome: 'unreachable' }], 'deep manifest: unreachable');
  t.match(
    deep.body.response.warnings?.[0] ?? '',
    /registry unreachable: registry sent a manifest nested too/,
    'deep manifest: a static reason (the warning is cut at its length limit)',
  );

  t.equal(missing.body.response.allowed, false, 'missing tag: denied');
  t.match(findings(missing), [{ class: 'notFound', outcome: 'not-found' }]);
  const message: string = missing.body.response.status?.message ?? '';
  const closest = /Closest tags: ([^.]+(?:\.[^ .][^.]*)*)\./.exec(message)?.[1]?.split(', ') ?? [];
  t.ok(
    closest.length > 0 && closest.every((tag) => (REAL_TAGS as readonly string[]).includes(tag)),
    `missing tag: only real tags are suggested (${closest.join(', ')})`,
  );
  t.equal(registry.tagPages(), TAG_PAGES, 'all five tags/list pages were read');

  const maxMs = delay.max / 1e6;
  t.comment(`event loop delay: max ${maxMs.toFixed(0)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms`);
  t.ok(
    maxMs <= MAX_EVENT_LOOP_DELAY_MS,
    `the event loop never stalled for more than ${MAX_EVENT_LOOP_DELAY_MS} ms (max ${maxMs.toFixed(0)} ms)`,
  );
  t.equal(failures.unhandledRejections(), 0, failures.describe());
  t.equal(failures.uncaughtExceptions(), 0, failures.describe());
});

t.test(
  `the built server with production heap flags stays up and small through ${MEMORY_REVIEWS} distinct hostile indexes`,
  async (t) => {
    const registry = await startHostileRegistryWorker();
    t.teardown(() => registry.close());
    const flags = productionNodeFlags(ROOT);
    const server = await startBuiltServer({ config: config(registry.host), env: { NODE_OPTIONS: flags.join(' ') } });
    t.teardown(() => server.stop());
    t.comment(`pullguard runs with NODE_OPTIONS="${flags.join(' ')}"`);

    const answers: { statusCode: number; allowed?: boolean; findings: number }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < MEMORY_REVIEWS) {
        const i = next++;
        // HEAD without a digest: every one of these 3.8 MB bodies is downloaded whole and hashed.
        const tag = `nodigest-${i % 2 === 0 ? 'amd64-' : 'junk-'}${i}`;
        const body = JSON.stringify(
          admissionReview(deployment(`memory-${i}`, [`${registry.host}/hostile/index:${tag}`])),
        );
        const answer = await server
          .post(body, { timeout: '25s', clientTimeoutMs: 30_000 })
          .catch((error: Error) => ({ statusCode: 0, body: error.message }));
        const parsed = answer.statusCode === 200 ? JSON.parse(answer.body) : undefined;
        answers.push({
          statusCode: answer.statusCode,
          allowed: parsed?.response?.allowed,
          findings: parsed ? findings({ body: parsed }).length : -1,
        });
      }
    };
    await Promise.all([worker(), worker()]);
    // Peak (VmHWM) and current (VmRSS) resident set of the server, as the kernel counts them; empty once it died.
    const status = await readFile(`/proc/${server.child.pid}/status`, 'utf8').catch(() => '');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;

    const alive = /^State:\s+[^ZX]/m.test(status) && server.child.exitCode === null && server.child.signalCode === null;
    t.ok(
      alive,
      `still running (exit ${server.child.exitCode ?? server.child.signalCode}; stderr: ${server.stderr
        .filter((l) => /heap|memory|fatal/i.test(l))
        .slice(0, 2)
        .join(' | ')})`,
    );
    t.equal(answers.filter((a) => a.statusCode === 200).length, MEMORY_REVIEWS, 'every review answered with HTTP 200');
    t.equal(
      answers.filter((a) => a.allowed === true && a.findings === 0).length,
      MEMORY_REVIEWS,
      'every image allowed without a finding',
    );
    t.equal(registry.indexBodies(), MEMORY_REVIEWS, 'each distinct index was downloaded');
    t.comment(`RSS now ${(kib('VmRSS') / 2 ** 20).toFixed(0)} MB, peak ${(kib('VmHWM') / 2 ** 20).toFixed(0)} MB`);
    t.ok(
      kib('VmHWM') < MAX_RSS_BYTES,
      `peak RSS ${(kib('VmHWM') / 2 ** 20).toFixed(0)} MB stays under ${MAX_RSS_BYTES / 2 ** 20} MB`,
    );
    t.equal((await server.health('/readyz').catch(() => ({ statusCode: 0 }))).statusCode, 200, 'still ready');
  },
);
