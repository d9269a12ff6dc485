/**
 * R9 (issue 13): a hostile client on the webhook port, before any authentication. Every 4xx comes in the one error
 * shape, parser-level errors included (raw TLS sockets against the real app); weak TLS 1.2 suites are refused, also
 * after a certificate reload; and against the built `pullguard serve` under the production heap flags, deeply
 * nested bodies cannot freeze the event loop and a barrage of maximum-size bodies cannot exhaust memory.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { pino } from 'pino';
import t from 'tap';
import { MAX_REVIEW_BYTES } from '../../src/admission/review-limits.js';
import { generateCertificates } from '../../src/certs/generate-certificates.js';
import { DEFAULT_CONFIG } from '../../src/config/load-config.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createReviewer } from '../../src/review/review-object.js';
import { ERROR_STATUS } from '../../src/server/error-replies.js';
import { buildWebhookApp } from '../../src/server/webhook-app.js';
import { admissionReview, POD_KIND } from '../helpers/admission-review.js';
import { answerView, apiServerProblems } from '../helpers/api-server-checks.js';
import { generateCerts, SERVER_NAME, startBuiltServer } from '../helpers/built-server.js';
import { goJson } from '../helpers/go-json.js';
import { rawExchange, type RawAnswer, type RawTarget } from './support/raw-tls.js';

const MiB = 1024 * 1024;
/** The Dockerfile's ENTRYPOINT flags, and the Deployment's memory limit (manifests/base/deployment.yaml). */
const PRODUCTION_HEAP = '--max-old-space-size=256 --max-semi-space-size=8';
const MEMORY_LIMIT_BYTES = 384 * MiB;

/** Problems with an answer that must be `status` with `{"error": {"code": code, "message"}}` and nothing else. */
function errorShapeProblems(answer: RawAnswer, status: number, code: string): string[] {
  const problems: string[] = [];
  if (answer.status !== status)
    problems.push(`HTTP ${answer.status}, want ${status}: ${JSON.stringify(answer.raw.slice(0, 160))}`);
  if (!/^application\/json/.test(answer.headers['content-type'] ?? ''))
    problems.push(`content-type ${answer.headers['content-type']}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return [...problems, `body is not JSON: ${JSON.stringify(answer.body.slice(0, 160))}`];
  }
  const error = (parsed as { error?: Record<string, unknown> }).error;
  if (!error || Object.keys(parsed as object).join() !== 'error' || Object.keys(error).join() !== 'code,message')
    problems.push(`not the error shape: ${answer.body}`);
  if (error?.['code'] !== code) problems.push(`code ${String(error?.['code'])}, want ${code}`);
  if (ERROR_STATUS[code as keyof typeof ERROR_STATUS] !== status)
    problems.push(`${code} is not documented with status ${status}`);
  if (typeof error?.['message'] !== 'string' || !/\S/.test(error['message'])) problems.push('no message');
  return problems;
}

t.test('every 4xx of the webhook port has the error shape, parser-level errors included', async (t) => {
  const pair = generateCertificates();
  const app = buildWebhookApp({
    config: DEFAULT_CONFIG,
    reviewer: createReviewer({ config: DEFAULT_CONFIG }),
    metrics: createMetrics({ processMetrics: false }),
    logger: pino({ level: 'silent' }),
    tls: { key: pair.keyPem, cert: pair.certPem },
    timeouts: { headersMs: 400, requestMs: 800 },
  });
  t.teardown(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const target: RawTarget = {
    port: (app.server.address() as { port: number }).port,
    ca: pair.caPem,
    servername: SERVER_NAME,
  };
  const post = 'POST /validate?timeout=10s HTTP/1.1\r\nHost: pullguard\r\n';
  const cases: [string, (string | Buffer)[], number, string, { gapMs?: number; closes?: boolean }?][] = [
    ['garbage', ['GARBAGE \u0000\u0001 NONSENSE\r\n\r\n'], 400, 'BAD_REQUEST'],
    ['an HTTP/2 preface', ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'], 400, 'BAD_REQUEST'],
    ['bad chunked encoding', [`${post}Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`], 400, 'BAD_REQUEST'],
    [
      'Content-Length and Transfer-Encoding together',
      [`${post}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
      400,
      'BAD_REQUEST',
    ],
    ['an invalid Content-Length', [`${post}Content-Length: 12abc\r\n\r\n{}`], 400, 'BAD_REQUEST'],
    ['a bad HTTP version', ['POST /validate HTTP/7.1\r\nHost: pullguard\r\n\r\n'], 400, 'BAD_REQUEST'],
    ['an invalid header name', [`${post}Bad Header: x\r\n\r\n`], 400, 'BAD_REQUEST'],
    ['headers over 16 KiB', [`${post}X-Junk: ${'j'.repeat(20 * 1024)}\r\n\r\n`], 431, 'HEADERS_TOO_LARGE'],
    [
      'no Host header',
      ['POST /validate HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}'],
      400,
      'BAD_REQUEST',
      { closes: false },
    ],
    [
      'an Expect that cannot be met',
      [`${post}Expect: teapot\r\nContent-Length: 2\r\n\r\n{}`],
      417,
      'EXPECTATION_FAILED',
    ],
    [
      'CONNECT',
      ['CONNECT registry.example.com:443 HTTP/1.1\r\nHost: registry.example.com:443\r\n\r\n'],
      404,
      'NOT_FOUND',
    ],
    [
      'an undecodable URL',
      ['GET /validate%zz HTTP/1.1\r\nHost: pullguard\r\n\r\n'],
      400,
      'BAD_REQUEST',
      { closes: false },
    ],
    ['another route', ['GET /metrics HTTP/1.1\r\nHost: pullguard\r\n\r\n'], 404, 'NOT_FOUND', { closes: false }],
    [
      'another method, with a body',
      [`PUT /validate HTTP/1.1\r\nHost: pullguard\r\nContent-Length: 2\r\n\r\n{}`],
      404,
      'NOT_FOUND',
      { closes: false },
    ],
    [
      'headers that never finish',
      [`${post}Content-Length: 2\r\n`, 'X-Slow: 1\r\n'],
      408,
      'REQUEST_TIMEOUT',
      { gapMs: 100 },
    ],
    ['a body that never finishes', [`${post}Content-Length: 100\r\n\r\n{"apiVersion":`], 408, 'REQUEST_TIMEOUT'],
    ['malformed JSON', [`${post}Content-Length: 5\r\n\r\n{bad}`], 400, 'INVALID_JSON', { closes: false }],
  ];
  for (const [name, parts, status, code, options = {}] of cases) {
    const answer = await rawExchange(target, parts, {
      waitMs: options.closes === false ? 1_500 : 5_000,
      ...(options.gapMs ? { gapMs: options.gapMs } : {}),
    });
    t.same(errorShapeProblems(answer, status, code), [], `${name}: ${status} ${code}`);
    if (options.closes !== false) t.ok(answer.closed, `${name}: the connection is closed after the answer`);
  }
  const ok = await rawExchange(target, [`${post}Content-Length: 2\r\nConnection: close\r\n\r\n[]`]);
  t.equal(ok.status, 400, 'and the server still answers ordinary requests');
  // The API server keeps connections open between reviews: idle time is not a slow request.
  const reused = await rawExchange(
    target,
    [`${post}Content-Length: 2\r\n\r\n[]`, `${post}Content-Length: 2\r\n\r\n[]`],
    { gapMs: 1_000, waitMs: 2_000 },
  );
  t.equal(
    reused.raw.match(/HTTP\/1\.1 400 /g)?.length,
    2,
    'a keep-alive connection idle past the headers timeout still serves the next request',
  );
  t.notMatch(reused.raw, /REQUEST_TIMEOUT/);
});

t.test('the built server: weak TLS 1.2 suites refused, at start and after a certificate reload', async (t) => {
  const server = await startBuiltServer({ config: { credentials: { kubernetes: false } } });
  t.teardown(() => server.stop());
  const negotiate = (ca: Buffer, options: tls.ConnectionOptions) =>
    new Promise<string>((resolve) => {
      const socket = tls.connect(
        { host: '127.0.0.1', port: server.port, servername: SERVER_NAME, ca, ...options },
        () => {
          resolve(`${socket.getProtocol()} ${socket.getCipher().name}`);
          socket.end();
        },
      );
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(`refused ${error.code ?? ''}`));
    });
  const check = async (ca: Buffer, when: string) => {
    for (const suite of ['AES128-SHA', 'AES256-GCM-SHA384', 'ECDHE-RSA-AES128-SHA']) {
      t.match(
        await negotiate(ca, { maxVersion: 'TLSv1.2', ciphers: `${suite}@SECLEVEL=0` }),
        /^refused/,
        `${when}: a client offering only ${suite} is refused`,
      );
    }
    t.equal(
      await negotiate(ca, { maxVersion: 'TLSv1.2' }),
      'TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256',
      `${when}: TLS 1.2 gets ECDHE with AES-GCM`,
    );
    t.match(await negotiate(ca, {}), /^TLSv1\.3 /, `${when}: TLS 1.3`);
  };
  await check(server.ca, 'at start');
  const fresh = await mkdtemp(join(tmpdir(), 'pullguard-r9-'));
  t.teardown(() => rm(fresh, { recursive: true, force: true }));
  const next = await generateCerts(fresh);
  await rename(join(fresh, 'tls.key'), join(server.dir, 'tls.key'));
  await rename(join(fresh, 'tls.crt'), join(server.dir, 'tls.crt'));
  const deadline = Date.now() + 15_000;
  while (!server.stdout.some((line) => line.includes('serving certificate reloaded')) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  t.ok(
    server.stdout.some((line) => line.includes('serving certificate reloaded')),
    'the new certificate was loaded',
  );
  await check(next.ca, 'after the reload');
});

/** Peak resident memory of a process (Linux). */
function peakRss(pid: number): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib) * 1024;
}

/** A Pod review of about `bytes` once encoded the API server's way, nearly all of it `<>&`. */
function escapedReview(uid: string, bytes: number): string {
  const object = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      containers: [{ name: 'app', image: 'Shop/Web:1.0', args: ['<>&'.repeat(Math.floor((bytes - 2048) / 18))] }],
    },
  };
  return goJson(admissionReview({ kind: POD_KIND, uid, name: 'web', object }));
}

t.test(
  'the built server under the production heap: deep bodies do not freeze it, maximum-size bodies do not exhaust it',
  async (t) => {
    const server = await startBuiltServer({
      config: { credentials: { kubernetes: false }, network: { budget: '20s', blockedCidrs: ['0.0.0.0/0', '::/0'] } },
      env: { NODE_OPTIONS: PRODUCTION_HEAP },
    });
    t.teardown(() => server.stop());
    const pid = server.child.pid as number;
    t.comment(`peak RSS after start: ${(peakRss(pid) / MiB).toFixed(0)} MiB`);

    // 1. Four 7 MB deeply nested reviews at once: refused, and the event loop keeps turning. The server's own
    // event-loop delay is read from /metrics (prom-client resets its maximum at every scrape).
    const deep = Buffer.from(
      goJson(
        admissionReview({ kind: POD_KIND, uid: 'deep', object: { spec: { containers: [] }, x: '__DEEP__' } }),
      ).replace('"__DEEP__"', `${'['.repeat(3_500_000)}${']'.repeat(3_500_000)}`),
    );
    await server.health('/metrics');
    const deepAnswers = await Promise.all(
      Array.from({ length: 4 }, () => server.post(deep, { clientTimeoutMs: 60_000 })),
    );
    const lagSeconds = Number(
      /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec((await server.health('/metrics')).body)?.[1],
    );
    for (const answer of deepAnswers)
      t.match(JSON.parse(answer.body), { error: { code: 'TOO_DEEP' } }, 'a 7 MB deep review: 400 TOO_DEEP');
    t.comment(`longest event-loop delay while deep bodies were refused: ${Math.round(lagSeconds * 1000)} ms`);
    t.ok(lagSeconds <= 1, `event-loop delay stays under 1 s (${Math.round(lagSeconds * 1000)} ms)`);

    // 2. Ten maximum-size reviews (every byte of content escaped) and four maximum-size bodies of pure structure at once.
    const big = Array.from({ length: 10 }, (_, i) => ({
      uid: `max-${i}`,
      body: escapedReview(`max-${i}`, MAX_REVIEW_BYTES - 64 * 1024),
    }));
    t.ok(
      big.every(({ body }) => body.length > MAX_REVIEW_BYTES - MiB && body.length <= MAX_REVIEW_BYTES),
      `reviews of ${(big[0]!.body.length / MiB).toFixed(1)} MiB`,
    );
    const junk = Buffer.from(`[${'{},'.repeat(Math.floor((MAX_REVIEW_BYTES - 16) / 3))}{}]`);
    const answers = await Promise.all([
      ...big.map(({ body }) => server.post(body, { timeout: '30s', clientTimeoutMs: 120_000 })),
      ...Array.from({ length: 4 }, () => server.post(junk, { timeout: '30s', clientTimeoutMs: 120_000 })),
    ]);
    let checked = 0;
    big.forEach(({ uid }, i) => {
      const answer = answers[i]!;
      if (answer.statusCode === 429) {
        t.match(JSON.parse(answer.body), { error: { code: 'BUSY' } }, `${uid}: no room in time, 429 BUSY`);
        return;
      }
      t.same(apiServerProblems(answer, uid), [], `${uid}: an AdmissionReview the API server accepts`);
      t.equal(answerView(answer.body).allowed, false, `${uid}: checked (the invalid image is denied)`);
      checked++;
    });
    t.comment(`${checked} of ${big.length} maximum-size reviews checked, the rest told to retry`);
    t.ok(checked >= 1, 'maximum-size reviews are checked');
    for (const answer of answers.slice(big.length)) {
      // Junk waits its turn like everything else; whatever it gets is an error in the shape, never a crash.
      t.match(
        JSON.parse(answer.body),
        { error: { code: answer.statusCode === 429 ? 'BUSY' : 'TOO_COMPLEX' } },
        `pure structure: ${answer.statusCode} ${answer.statusCode === 429 ? 'BUSY' : 'TOO_COMPLEX'}`,
      );
    }

    t.equal(server.child.exitCode, null, 'the process is still running');
    t.equal((await server.health('/healthz')).statusCode, 200, 'and live');
    const peak = peakRss(pid);
    t.comment(`peak RSS: ${(peak / MiB).toFixed(0)} MiB`);
    t.ok(
      peak < MEMORY_LIMIT_BYTES,
      `peak RSS ${(peak / MiB).toFixed(0)} MiB stays under the Deployment's 384 MiB limit`,
    );
    t.same(
      server.stderr.filter((line) => line.trim() !== ''),
      [],
      'nothing on stderr',
    );
  },
);
