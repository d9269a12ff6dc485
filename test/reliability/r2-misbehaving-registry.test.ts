/**
 * docs/design.md §7.2 R2: a registry that misbehaves (500s, garbage or huge bodies, endless headers, redirect loops,
 * resets, TLS garbage, a realm pointing elsewhere, rate limits, hangs). Each is classified into exactly one outcome,
 * the process neither crashes nor sees an unhandled rejection, nothing is read beyond 4 MiB, redirects stop after 3,
 * and a realm on a blocked address is never contacted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import t from 'tap';
import { hugeBody } from '../harness/registry/fault-http.js';
import { HUGE_BODY_BYTES, startFaultServer, type FaultKind, type FaultServer } from '../harness/registry/index.js';
import { admissionReview, deployment, startWebhookUnderTest } from '../helpers/engine-webhook.js';
import { startLoopbackServer, type LoopbackServer } from './support/loopback-servers.js';
import { countProcessFailures } from './support/process-guards.js';

const MAX_READ_BYTES = 4 * 1024 * 1024;
/** Headers, chunk framing and what is in flight while the client tears the socket down. */
const SLACK_BYTES = 1024 * 1024;

const failures = countProcessFailures();
t.teardown(() => failures.dispose());

const realmSink = await startLoopbackServer((_req, res) => res.end('{"token":"x"}'), '127.0.0.2');
t.teardown(() => realmSink.close());

const expectations: readonly { kind: FaultKind; class: string; outcome: string; realm?: string }[] = [
  { kind: 'hang', class: 'timeout', outcome: 'timeout' },
  { kind: 'reset', class: 'unreachable', outcome: 'unreachable' },
  { kind: 'status-500', class: 'unreachable', outcome: 'unreachable' },
  { kind: 'garbage-body', class: 'unreachable', outcome: 'unreachable' },
  { kind: 'huge-body', class: 'unreachable', outcome: 'unreachable' },
  { kind: 'endless-headers', class: 'unreachable', outcome: 'unreachable' },
  { kind: 'redirect-loop', class: 'unreachable', outcome: 'unreachable' },
  { kind: 'blocked-realm', class: 'unreachable', outcome: 'blocked' },
  { kind: 'blocked-realm', class: 'unreachable', outcome: 'blocked', realm: `http://${realmSink.host}/token` },
  { kind: 'rate-limited', class: 'rateLimited', outcome: 'rate-limited' },
  { kind: 'tls-garbage', class: 'unreachable', outcome: 'unreachable' },
];

const servers = new Map<(typeof expectations)[number], FaultServer>();
for (const expectation of expectations) {
  servers.set(
    expectation,
    await startFaultServer(expectation.kind, expectation.realm ? { realm: expectation.realm } : {}),
  );
}
t.teardown(() => Promise.all([...servers.values()].map((s) => s.close())));

/** A huge manifest sent chunked (no Content-Length), so only the streaming cap can stop it. */
function chunkedHugeManifest(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/v2/')
    return void res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' }).end('{}');
  // HEAD without a digest makes the client GET the body (as containerd does).
  res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' });
  if (req.method === 'HEAD') return void res.end();
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let sent = 0;
  const pump = (): void => {
    while (sent < HUGE_BODY_BYTES && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

/**
 * How much a server can write to a client that reads NOTHING: the loopback socket buffers (several MiB here).
 * Bytes written minus this is an honest lower bound of what a client consumed.
 */
async function bufferedByKernel(server: LoopbackServer): Promise<number> {
  const before = server.bytesWritten();
  const socket = net.connect(server.port, '127.0.0.1');
  socket.pause();
  socket.on('error', () => undefined);
  socket.write(`GET /v2/team/calibrate/manifests/1 HTTP/1.1\r\nHost: ${server.host}\r\n\r\n`);
  await new Promise((resolve) => setTimeout(resolve, 700));
  const buffered = server.bytesWritten() - before;
  socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 100));
  return buffered;
}

function findings(answer: { body: any }): { class: string; outcome?: string }[] {
  const text = answer.body.response?.auditAnnotations?.findings;
  return text ? JSON.parse(text) : [];
}

t.test('every fault kind is classified, admitted with a warning, and answered inside the budget', async (t) => {
  const tlsGarbage = [...servers].find(([e]) => e.kind === 'tls-garbage')?.[1] as FaultServer;
  const webhook = await startWebhookUnderTest({
    config: {
      // The TLS fault is spoken to over HTTPS; every other fault server over plain HTTP.
      registries: [{ host: tlsGarbage.host }, { host: '127.0.0.1:*', plainHttp: true }],
      credentials: { kubernetes: false },
      network: { requestTimeout: '1s', budget: '5s' },
    },
  });
  t.teardown(() => webhook.close());
  for (const [expectation, server] of servers) {
    const label = `${expectation.kind}${expectation.realm ? ' (realm on 127.0.0.2)' : ''}`;
    const before = server.hits();
    const answer = await webhook.review(
      admissionReview(deployment(`fault-${expectation.kind}`, [`${server.host}/team/${expectation.kind}:1.0`])),
      { timeout: '6s' },
    );
    t.equal(answer.statusCode, 200, `${label}: HTTP 200`);
    t.ok(answer.elapsedMs < 5000, `${label}: answered in ${Math.round(answer.elapsedMs)} ms`);
    t.equal(answer.body.response.allowed, true, `${label}: admitted (infrastructure problems warn)`);
    t.same(
      findings(answer).map((f) => [f.class, f.outcome]),
      [[expectation.class, expectation.outcome]],
      `${label}: one ${expectation.class}/${expectation.outcome} finding`,
    );
    t.equal(answer.body.response.warnings?.length, 1, `${label}: one warning`);
    t.ok(server.hits() > before, `${label}: the fault server was really contacted`);
    if (expectation.kind === 'redirect-loop')
      t.ok(server.hits() - before <= 4, `redirects stop after 3 (${server.hits() - before} requests)`);
  }
  t.equal(realmSink.connections(), 0, 'the realm on 127.0.0.2 (not listed, blocked) never saw a connection');
  t.notMatch(webhook.logs(), /<html>|X-Pullguard-Filler|padding/, 'no registry body or header ends up in the logs');
});

t.test('huge bodies: nothing is read beyond 4 MiB, whether announced by Content-Length or streamed', async (t) => {
  const announced = await startLoopbackServer((req, res) => hugeBody(req, res, ''));
  const streamed = await startLoopbackServer(chunkedHugeManifest);
  t.teardown(() => Promise.all([announced.close(), streamed.close()]));
  const webhook = await startWebhookUnderTest({
    config: {
      registries: [{ host: '127.0.0.1:*', plainHttp: true }],
      credentials: { kubernetes: false },
      network: { requestTimeout: '2s', budget: '5s' },
    },
  });
  t.teardown(() => webhook.close());
  for (const [label, server, readable] of [
    ['Content-Length 10 MiB', announced, MAX_READ_BYTES],
    ['chunked 10 MiB', streamed, MAX_READ_BYTES],
  ] as const) {
    const buffered = await bufferedByKernel(server);
    const rounds = 4;
    const before = server.bytesWritten();
    for (let i = 0; i < rounds; i++) {
      const answer = await webhook.review(
        admissionReview(deployment(`huge-${i}`, [`${server.host}/team/huge-${i}:1.0`])),
        { timeout: '6s' },
      );
      t.same(
        findings(answer).map((f) => f.class),
        ['unreachable'],
        `${label} #${i}: unreachable`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100)); // let the socket close before the next one
    }
    const consumed = (server.bytesWritten() - before) / rounds - buffered;
    t.comment(
      `${label}: socket buffers hold ${Math.round(buffered / 1024)} KiB; the client consumed ≤ ${Math.round(consumed / 1024)} KiB per review`,
    );
    t.ok(
      consumed <= readable + SLACK_BYTES,
      `${label}: at most ${readable / 1024} KiB read per review (measured ${Math.round(consumed / 1024)} KiB)`,
    );
  }
  t.match(
    findings(await webhook.review(admissionReview(deployment('huge-missing', [`${announced.host}/team/missing:1.0`])))),
    [{ class: 'notFound' }],
    'a 404 with a huge error body is still a clean not-found',
  );
});

t.test('no crash: no unhandled rejection and no uncaught exception', async (t) => {
  t.equal(failures.unhandledRejections(), 0, failures.describe());
  t.equal(failures.uncaughtExceptions(), 0, failures.describe());
});
