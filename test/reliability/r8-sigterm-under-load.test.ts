/**
 * docs/design.md §7.2 R8: SIGTERM while the built `pullguard serve` is busy. Readiness fails at once, every review
 * already sent is answered (none lost), and the process exits 0 soon after. Reviews take ~300 ms because they resolve
 * against a slow loopback registry stand-in, so reviews are genuinely in flight when the signal arrives.
 */
import https from 'node:https';
import t from 'tap';
import { apiServerProblems } from '../helpers/api-server-checks.js';
import { admissionReview, deployment } from '../helpers/engine-webhook.js';
import { request, SERVER_NAME, startBuiltServer } from '../helpers/built-server.js';
import { slowRegistryHandler, startLoopbackServer } from './support/loopback-servers.js';

const CLIENTS = 20;
const REGISTRY_DELAY_MS = 300;
const SIGNAL_AFTER_MS = 1000;
const EXIT_DEADLINE_MS = 10_000;
// PULLGUARD_DRAIN_DELAY_MS keeps the server serving (readiness failing) this long after SIGTERM, so the 503 window
// is observable from outside; in a cluster it lets endpoints drop the pod before the listener closes.
const DRAIN_DELAY_MS = 1000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

interface Outcome {
  readonly sentAt: number;
  readonly problems: readonly string[];
  readonly error?: string;
  readonly elapsedMs: number;
}

t.test('SIGTERM under load: no review lost, readiness fails, exit 0', async (t) => {
  const registry = await startLoopbackServer(slowRegistryHandler(REGISTRY_DELAY_MS));
  t.teardown(() => registry.close());
  const server = await startBuiltServer({
    config: { registries: [{ host: registry.host, plainHttp: true }], credentials: { kubernetes: false } },
    env: { PULLGUARD_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS) },
  });
  t.teardown(() => server.stop());

  let exitedAt: number | undefined;
  const exitCode = server.exited.then((code) => {
    exitedAt = Date.now();
    return code;
  });
  let signalAt = Number.POSITIVE_INFINITY;
  const outcomes: Outcome[] = [];
  const agent = new https.Agent({ keepAlive: true, maxSockets: CLIENTS });
  t.teardown(() => agent.destroy());

  const client = async (id: number) => {
    for (let i = 0; exitedAt === undefined; i++) {
      // A distinct tag per review: nothing is cached or coalesced, every review waits on the registry.
      const body = admissionReview(deployment(`r8-${id}-${i}`, [`${registry.host}/team/app:c${id}-r${i}`])) as {
        request: { uid: string };
      };
      const sentAt = Date.now();
      try {
        const answer = await request(
          https,
          {
            host: '127.0.0.1',
            port: server.port,
            method: 'POST',
            path: '/validate?timeout=10s',
            servername: SERVER_NAME,
            ca: server.ca,
            agent,
            headers: { 'content-type': 'application/json' },
          },
          JSON.stringify(body),
          10_000,
        );
        outcomes.push({
          sentAt,
          problems: apiServerProblems(answer, body.request.uid),
          elapsedMs: Date.now() - sentAt,
        });
      } catch (error) {
        outcomes.push({ sentAt, problems: [], error: (error as Error).message, elapsedMs: Date.now() - sentAt });
        if (sentAt > signalAt) return; // the server is going away: this client is done
      }
    }
  };

  const readyzAfterSignal: { code: number; processUp: boolean }[] = [];
  const pollReadiness = async () => {
    while (exitedAt === undefined) {
      const answer = await server.health('/readyz').catch(() => undefined);
      if (answer) readyzAfterSignal.push({ code: answer.statusCode, processUp: server.child.exitCode === null });
      await sleep(25);
    }
  };

  const clients = Array.from({ length: CLIENTS }, (_, id) => client(id));
  await sleep(SIGNAL_AFTER_MS);
  const registryLookups = registry.requests().length;
  signalAt = Date.now();
  server.child.kill('SIGTERM');
  const poller = pollReadiness();

  const code = await Promise.race([exitCode, sleep(EXIT_DEADLINE_MS + 2000).then(() => 'still running')]);
  const exitMs = exitedAt === undefined ? undefined : exitedAt - signalAt;
  await Promise.all(clients);
  await poller;

  const before = outcomes.filter((o) => o.sentAt < signalAt);
  const after = outcomes.filter((o) => o.sentAt >= signalAt);
  const lost = before.filter((o) => o.error !== undefined || o.problems.length > 0);
  const answeredAfter = after.filter((o) => o.error === undefined && o.problems.length === 0).length;
  const inFlight = before.filter((o) => o.sentAt + o.elapsedMs > signalAt).length;
  const slowestBefore = Math.max(...before.map((o) => o.elapsedMs));
  t.comment(
    `${before.length} reviews sent before SIGTERM (${inFlight} of them still in flight then; ${registryLookups} registry lookups so far), slowest ${slowestBefore} ms; ` +
      `${after.length} sent after it: ${answeredAfter} answered, ${after.length - answeredAfter} connection errors (${[...new Set(after.flatMap((o) => (o.error ? [o.error] : [])))].join(', ')}); exit ${String(code)} ${exitMs ?? '?'} ms after SIGTERM`,
  );

  t.ok(before.length >= CLIENTS, `reviews were sent before the signal (${before.length})`);
  t.ok(inFlight >= CLIENTS / 2, `reviews were in flight when the signal came (${inFlight})`);
  t.ok(
    Math.min(...before.map((o) => o.elapsedMs)) >= REGISTRY_DELAY_MS - 50,
    'each review waited on the slow registry',
  );
  t.same(
    lost.slice(0, 5).map((o) => o.error ?? o.problems.join('; ')),
    [],
    `every review sent before SIGTERM got HTTP 200 with a valid AdmissionReview for its uid (${lost.length} lost)`,
  );
  t.ok(
    readyzAfterSignal.some((r) => r.code === 503 && r.processUp),
    '/readyz answered 503 after SIGTERM while the process was up',
  );
  // The first poll may race the signal's delivery; once it failed, readiness must stay failed.
  const firstFailure = readyzAfterSignal.findIndex((r) => r.code === 503);
  t.notOk(
    readyzAfterSignal.slice(Math.max(firstFailure, 0)).some((r) => r.code === 200),
    '/readyz never recovered after it failed',
  );
  t.equal(code, 0, 'the process exited with code 0');
  t.ok(
    exitMs !== undefined && exitMs < EXIT_DEADLINE_MS,
    `it exited within ${EXIT_DEADLINE_MS} ms of SIGTERM (${exitMs ?? '?'} ms)`,
  );
  t.ok(exitMs !== undefined && exitMs >= DRAIN_DELAY_MS, 'it kept serving for the drain delay first');
  t.ok(
    server.stdout.some((line) => line.includes('shut down')),
    'the shutdown was logged',
  );
});
