/**
 * Round trip (docs/design.md §9): the built `pullguard serve` process, called over HTTPS exactly like kube-apiserver
 * calls a webhook (CA from `pullguard certs`, servername pullguard.pullguard.svc, POST /validate?timeout=10s), every
 * answer checked the way the API server checks it. The config lets registry answers not matter: images here are either
 * decided without a registry (invalid, :latest, Never, skips) or their infrastructure findings are allowed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import t, { type Test } from 'tap';
import { MAX_REVIEW_BYTES } from '../../src/admission/review-limits.js';
import { WORKLOAD_KINDS, type WorkloadKind } from '../../src/workload/pod-spec-paths.js';
import { admissionReview, POD_KIND, workloadReview, workloadWith } from '../helpers/admission-review.js';
import { answerView, apiServerProblems, type AdmissionAnswerView } from '../helpers/api-server-checks.js';
import {
  ensureFreshBuild,
  generateCerts,
  startBuiltServer,
  waitForLines,
  type BuiltServer,
} from '../helpers/built-server.js';

const INVALID = 'Shop/Web:1.0';
const REACHABLE_OR_NOT = 'registry.invalid/shop/app:1.0'; // .invalid never resolves (RFC 6761)
const deployment = WORKLOAD_KINDS.find((k) => k.kind === 'Deployment') as WorkloadKind;
const pod = WORKLOAD_KINDS.find((k) => k.kind === 'Pod') as WorkloadKind;

const CONFIG = {
  network: { budget: '2s', requestTimeout: '1s' },
  policy: { unreachable: 'allow', timeout: 'allow', rateLimited: 'allow' },
};

/** One certificate pair for every server of this file: read-only files, generated once (RSA keys are slow to make). */
let certs: { certFile: string; keyFile: string; ca: Buffer };
t.before(async () => {
  await ensureFreshBuild();
  const dir = await mkdtemp(join(tmpdir(), 'pullguard-e2e-certs-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  certs = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key'), ca: (await generateCerts(dir)).ca };
});

/** A server of this test's own (each test stands alone: `--grep` runs any one of them), stopped at its teardown. */
async function serve(t: Test, config: Record<string, unknown> = {}): Promise<BuiltServer> {
  const server = await startBuiltServer({ config: { ...CONFIG, ...config }, tls: certs });
  t.teardown(() => server.stop());
  return server;
}

async function admit(
  t: Test,
  server: BuiltServer,
  review: ReturnType<typeof admissionReview>,
): Promise<AdmissionAnswerView> {
  const uid = String(review.request['uid']);
  const res = await server.post(JSON.stringify(review));
  t.same(apiServerProblems(res, uid), [], `the API server accepts the answer to ${uid}`);
  return answerView(res.body);
}

t.test('every workload kind: invalid references are denied with their field paths', async (t) => {
  const server = await serve(t);
  for (const kind of WORKLOAD_KINDS) {
    const spec = {
      initContainers: [{ name: 'init', image: REACHABLE_OR_NOT }],
      containers: [
        { name: 'app', image: REACHABLE_OR_NOT },
        { name: 'bad', image: INVALID },
      ],
    };
    const answer = await admit(t, server, workloadReview(kind, workloadWith(kind, spec)));
    const path = `${kind.podSpecPath.join('.')}.containers[1].image`;
    t.equal(answer.allowed, false, `${kind.kind} denied`);
    t.match(
      answer.message,
      new RegExp(
        `^1 of 3 images in ${kind.kind} shop/web would fail to pull \\(InvalidImageName\\):\\n- container "bad" \\(${path.replace(/[.[\]]/g, '\\$&')}\\): "Shop/Web:1.0"`,
      ),
      kind.kind,
    );
  }
  const cronJob = WORKLOAD_KINDS.find((k) => k.kind === 'CronJob') as WorkloadKind;
  const answer = await admit(
    t,
    server,
    workloadReview(
      cronJob,
      workloadWith(cronJob, {
        initContainers: [{ name: 'migrate', image: 'UPPER' }],
        containers: [{ name: 'app', image: REACHABLE_OR_NOT }],
      }),
    ),
  );
  t.match(answer.message, '(spec.jobTemplate.spec.template.spec.initContainers[0].image)');
});

t.test(':latest and imagePullPolicy: Never warn and are admitted', async (t) => {
  const server = await serve(t);
  const answer = await admit(
    t,
    server,
    workloadReview(
      deployment,
      workloadWith(deployment, {
        containers: [
          { name: 'app', image: 'nginx' },
          { name: 'api', image: 'registry.invalid/acme/api:latest' },
          { name: 'cached', image: 'registry.invalid/cached:1', imagePullPolicy: 'Never' },
        ],
      }),
    ),
  );
  t.equal(answer.allowed, true);
  t.match(answer.warnings, [
    'container "app": "nginx" has no tag and pulls :latest; pin a version tag or a digest',
    'container "api": "registry.invalid/acme/api:latest" uses :latest; pin a version tag or a digest',
    /^container "cached": imagePullPolicy Never/,
  ]);
});

t.test('warning caps: 15 :latest images give 10 warnings and a summary', async (t) => {
  const server = await serve(t);
  const containers = Array.from({ length: 15 }, (_, i) => ({ name: `c${i}`, image: `registry.invalid/team/img-${i}` }));
  const answer = await admit(t, server, workloadReview(deployment, workloadWith(deployment, { containers })));
  t.equal(answer.allowed, true);
  t.equal(answer.warnings.length, 11);
  t.match(answer.warnings[10], /^… and 5 more warnings/);
});

t.test('UPDATE with unchanged images is allowed with no findings', async (t) => {
  const server = await serve(t);
  const spec = {
    containers: [
      { name: 'app', image: 'nginx' },
      { name: 'bad', image: INVALID },
    ],
  };
  const answer = await admit(
    t,
    server,
    workloadReview(
      deployment,
      { ...workloadWith(deployment, spec), status: { replicas: 3 } },
      { operation: 'UPDATE', oldObject: workloadWith(deployment, spec) },
    ),
  );
  t.equal(answer.allowed, true);
  t.same(answer.warnings, []);
  t.same(answer.findings, []);
});

t.test('controller-owned pods are skipped; ephemeral containers are checked', async (t) => {
  const server = await serve(t);
  const ownedMeta = {
    generateName: 'web-7d9c-',
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9c', uid: 'o', controller: true }],
  };
  const owned = await admit(
    t,
    server,
    workloadReview(pod, workloadWith(pod, { containers: [{ name: 'app', image: INVALID }] }, ownedMeta), { name: '' }),
  );
  t.equal(owned.allowed, true, 'owned pod skipped');
  t.same(owned.findings, []);

  const before = workloadWith(pod, { containers: [{ name: 'app', image: REACHABLE_OR_NOT }] });
  const after = workloadWith(pod, {
    containers: [{ name: 'app', image: REACHABLE_OR_NOT }],
    ephemeralContainers: [{ name: 'debugger', image: 'BusyBox' }],
  });
  const debug = await admit(
    t,
    server,
    admissionReview({
      kind: POD_KIND,
      operation: 'UPDATE',
      subResource: 'ephemeralcontainers',
      name: 'web',
      object: after,
      oldObject: before,
    }),
  );
  t.equal(debug.allowed, false);
  t.match(debug.message, 'ephemeral container "debugger" (spec.ephemeralContainers[0].image): "BusyBox"');
});

t.test('DELETE and dry runs', async (t) => {
  const server = await serve(t);
  const deleted = await admit(
    t,
    server,
    admissionReview({
      kind: POD_KIND,
      operation: 'DELETE',
      name: 'web',
      object: null,
      oldObject: workloadWith(pod, { containers: [{ name: 'a', image: INVALID }] }),
    }),
  );
  t.equal(deleted.allowed, true);
  const dry = await admit(
    t,
    server,
    workloadReview(pod, workloadWith(pod, { containers: [{ name: 'a', image: INVALID }] }), { dryRun: true }),
  );
  t.equal(dry.allowed, false, '--dry-run=server is a preflight');
});

t.test('malformed bodies get a 400 JSON error', async (t) => {
  const server = await serve(t);
  const cases: [string, string, RegExp][] = [
    ['{not json', 'application/json', /^INVALID_JSON$/],
    ['', 'application/json', /^INVALID_JSON$/],
    ['[]', 'application/json', /^INVALID_REVIEW$/],
    [
      JSON.stringify({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        request: { uid: 'x', operation: 'CREATE' },
      }),
      'text/plain',
      /^INVALID_REVIEW$/,
    ],
  ];
  for (const [body, contentType, code] of cases) {
    const res = await server.post(body, { contentType });
    t.equal(res.statusCode, 400, JSON.stringify(body.slice(0, 40)));
    const parsed = JSON.parse(res.body) as { error: { code: string; message: string } };
    t.match(parsed.error.code, code);
    t.match(parsed.error.message, /\S/);
  }
  // Past 28 MiB the server answers 400 (BODY_TOO_LARGE) and closes the connection; depending on timing the client sees the 400 or
  // EPIPE/ECONNRESET while still writing (the exact body is covered by the inject() tests). Either way: no 500,
  // and the process keeps serving.
  const big = await server
    .post(JSON.stringify({ padding: 'x'.repeat(MAX_REVIEW_BYTES + 1024 * 1024) }))
    .catch((error: NodeJS.ErrnoException) => ({ statusCode: 0, body: String(error.code) }));
  t.ok(
    big.statusCode === 400 || /^(EPIPE|ECONNRESET)$/.test(big.body),
    `29 MiB: ${big.statusCode} ${big.body.slice(0, 80)}`,
  );
  t.equal((await server.health('/healthz')).statusCode, 200, 'still alive');
});

t.test('TLS 1.2 at least: a TLS 1.1 client is refused, a TLS 1.2 client verifies the served certificate', async (t) => {
  const server = await serve(t);
  const connect = (options: tls.ConnectionOptions) =>
    new Promise<string>((resolve, reject) => {
      const socket = tls.connect(
        { host: '127.0.0.1', port: server.port, servername: 'pullguard.pullguard.svc', ca: server.ca, ...options },
        () => {
          const protocol = socket.getProtocol() ?? '';
          socket.end();
          resolve(protocol);
        },
      );
      socket.on('error', reject);
    });
  t.equal(await connect({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }), 'TLSv1.2');
  // SECLEVEL=0 lets this client offer TLS 1.1 at all, so the refusal comes from the server.
  await t.rejects(
    connect({ minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }),
    /alert protocol version/,
  );
  await t.rejects(
    connect({ servername: 'other.example.com' }),
    /altnames|Hostname/i,
    'the certificate is only for the service names',
  );
});

t.test('health port: /healthz, /readyz and /metrics', async (t) => {
  const server = await serve(t);
  t.equal((await server.health('/healthz')).statusCode, 200);
  t.equal((await server.health('/readyz')).statusCode, 200);
  const denied = await admit(
    t,
    server,
    workloadReview(deployment, workloadWith(deployment, { containers: [{ name: 'bad', image: INVALID }] })),
  );
  t.equal(denied.allowed, false, 'one denied review to count');
  const metrics = await server.health('/metrics');
  t.equal(metrics.statusCode, 200);
  t.match(
    metrics.body,
    /pullguard_admission_requests_total\{kind="Deployment",operation="CREATE",decision="deny",dry_run="false"\} 1\n/,
  );
  t.match(metrics.body, /process_cpu_seconds_total/);
});

t.test('JSON logs on stdout: with logging.reviews: all, one info review line per review', async (t) => {
  const server = await serve(t, { logging: { reviews: 'all' } });
  const ownedMeta = {
    generateName: 'web-7d9c-',
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9c', uid: 'o', controller: true }],
  };
  const reviews = [
    workloadReview(deployment, workloadWith(deployment, { containers: [{ name: 'bad', image: INVALID }] })),
    workloadReview(pod, workloadWith(pod, { containers: [{ name: 'app', image: 'nginx' }] })),
    workloadReview(pod, workloadWith(pod, { containers: [{ name: 'app', image: INVALID }] }, ownedMeta), { name: '' }),
    workloadReview(pod, workloadWith(pod, { containers: [{ name: 'a', image: INVALID }] }), { dryRun: true }),
    admissionReview({
      kind: POD_KIND,
      operation: 'DELETE',
      name: 'web',
      object: null,
      oldObject: workloadWith(pod, { containers: [{ name: 'a', image: INVALID }] }),
    }),
  ];
  const postedUids: string[] = [];
  for (const review of reviews) {
    await admit(t, server, review);
    postedUids.push(String(review.request['uid']));
  }
  t.equal((await server.post('{not json')).statusCode, 400, 'a malformed body is not a review');
  const isReview = (line: string) => line.includes('"msg":"review"');
  await waitForLines(server.stdout, (lines) => lines.filter(isReview).length >= postedUids.length);
  const lines = server.stdout.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      t.fail(`stdout line is not JSON: ${line.slice(0, 200)}`);
      return {};
    }
  });
  const reviewLines = lines.filter((line) => line['msg'] === 'review');
  t.same(
    reviewLines.map((line) => line['uid']),
    postedUids,
    'exactly one review line per review, in order',
  );
  for (const line of reviewLines) {
    t.match(line, {
      level: 30,
      kind: String,
      operation: String,
      dryRun: Boolean,
      decision: /^(allow|warn|deny)$/,
      durationMs: Number,
      findings: Array,
    });
    t.ok(typeof line['name'] === 'string' || typeof line['generateName'] === 'string', 'name or generateName');
  }
});

t.test('SIGTERM: the process shuts down cleanly and exits 0', async (t) => {
  const server = await serve(t);
  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0);
  t.match(server.stdout.join('\n'), /"msg":"shut down"/);
});
