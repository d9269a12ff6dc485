/**
 * docs/design.md §5.4: with `logging.reviews: findings` (the default) the `review` line is at `info` for a deny, a
 * warn and a review that failed open, and at `debug` for a clean allow and a skip; the malformed-request lines stay
 * at `info`; `logging.reviews: all` puts every review line at `info`. Every review is counted whatever its level.
 */
import { createServer, type Server, type Socket } from 'node:net';
import t, { type Test } from 'tap';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { buildWebhookApp } from '../../src/server/webhook-app.js';
import { DEFAULT_CONFIG } from '../../src/config/load-config.js';
import { createLoggers } from '../../src/observability/logger.js';
import { WORKLOAD_KINDS, type WorkloadKind } from '../../src/workload/pod-spec-paths.js';
import { admissionReview, POD_KIND, workloadReview, workloadWith } from '../helpers/admission-review.js';
import { deployment as engineDeployment, admissionReview as engineReview } from '../helpers/engine-webhook.js';
import { startWebhookUnderTest } from '../helpers/engine-webhook.js';
import { webhookUnderTest, type WebhookUnderTest } from '../helpers/webhook-under-test.js';

const deployment = WORKLOAD_KINDS.find((k) => k.kind === 'Deployment') as WorkloadKind;
const INFO = 30;
const DEBUG = 20;

type Line = Record<string, unknown>;
const reviewLines = (logs: readonly Line[]) => logs.filter((line) => line['msg'] === 'review');
const levelsByUid = (logs: readonly Line[]) => reviewLines(logs).map((line) => [line['uid'], line['level']]);

const withImage = (image: string, uid: string) =>
  workloadReview(deployment, workloadWith(deployment, { containers: [{ name: 'a', image }] }), { uid });

/** One review of each kind the policy tells apart, and the two malformed requests; in this order. */
const REQUESTS: readonly (readonly [string, unknown])[] = [
  ['u-deny', withImage('Bad:1', 'u-deny')],
  ['u-warn', withImage('nginx', 'u-warn')],
  ['u-clean', withImage('example.com/app:1.0', 'u-clean')],
  ['u-delete', admissionReview({ kind: POD_KIND, uid: 'u-delete', operation: 'DELETE', name: 'web', object: null })],
  [
    'u-owned',
    admissionReview({
      kind: POD_KIND,
      uid: 'u-owned',
      object: {
        metadata: {
          generateName: 'web-7d9c-',
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9c', uid: 'o', controller: true },
          ],
        },
        spec: { containers: [{ name: 'a', image: 'Bad:1' }] },
      },
    }),
  ],
  [
    'u-configmap',
    admissionReview({ kind: { group: '', version: 'v1', kind: 'ConfigMap' }, uid: 'u-configmap', object: {} }),
  ],
  ['malformed review', '{"apiVersion": "v1"}'],
  ['u-malformed', workloadReview(deployment, workloadWith(deployment, { containers: 'a' }), { uid: 'u-malformed' })],
];

async function postAll(t: Test, hook: WebhookUnderTest): Promise<void> {
  for (const [name, body] of REQUESTS) {
    const res = await hook.app.inject({
      method: 'POST',
      url: '/validate',
      payload: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    t.equal(res.statusCode, name.includes('malformed') ? 400 : 200, `${name}: answered`);
  }
}

/** The requests counter's samples, as `decision → count`. */
async function countedDecisions(metrics: Metrics): Promise<Record<string, number>> {
  const counted: Record<string, number> = {};
  for (const sample of (await metrics.admissionRequests.counter.get()).values) {
    const decision = String(sample.labels['decision']);
    counted[decision] = (counted[decision] ?? 0) + sample.value;
  }
  return counted;
}

function malformedLevels(logs: readonly Line[]): unknown[] {
  return logs
    .filter((line) => String(line['msg']).startsWith('rejected malformed'))
    .map((line) => [line['msg'], line['level']]);
}

const MALFORMED_AT_INFO = [
  ['rejected malformed review', INFO],
  ['rejected malformed object', INFO],
];

t.test('findings (the default): deny and warn at info; clean allows and skips write no info line', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  await postAll(t, hook);
  t.same(levelsByUid(hook.logs), [
    ['u-deny', INFO],
    ['u-warn', INFO],
  ]);
  t.same(malformedLevels(hook.logs), MALFORMED_AT_INFO, 'the malformed-request lines stay at info');
  t.same(await countedDecisions(hook.metrics), { deny: 1, warn: 1, allow: 4 }, 'every review is counted');
});

t.test('at LOG_LEVEL debug the clean allow and the skips are logged at debug', async (t) => {
  const hook = webhookUnderTest({ logLevel: 'debug' });
  t.teardown(() => hook.app.close());
  await postAll(t, hook);
  t.same(levelsByUid(hook.logs), [
    ['u-deny', INFO],
    ['u-warn', INFO],
    ['u-clean', DEBUG],
    ['u-delete', DEBUG],
    ['u-owned', DEBUG],
    ['u-configmap', DEBUG],
  ]);
  t.match(reviewLines(hook.logs)[3], { decision: 'allow', skipped: /DELETE/ });
  t.match(reviewLines(hook.logs)[5], { skipped: /ConfigMap carries no pod spec/ });
  t.same(malformedLevels(hook.logs), MALFORMED_AT_INFO);
});

t.test('logging.reviews: all logs every review at info, as before', async (t) => {
  const hook = webhookUnderTest({ config: { logging: { reviews: 'all' } } });
  t.teardown(() => hook.app.close());
  await postAll(t, hook);
  t.same(
    levelsByUid(hook.logs),
    ['u-deny', 'u-warn', 'u-clean', 'u-delete', 'u-owned', 'u-configmap'].map((uid) => [uid, INFO]),
  );
  t.same(malformedLevels(hook.logs), MALFORMED_AT_INFO);
  t.same(await countedDecisions(hook.metrics), { deny: 1, warn: 1, allow: 4 });
});

t.test('a namespace with pullguard.io/mode=off is a skip: debug', async (t) => {
  const hook = webhookUnderTest({
    logLevel: 'debug',
    resolve: () => ({ outcome: 'not-found', missing: 'tag' }),
    namespaceMode: async () => 'off',
  });
  t.teardown(() => hook.app.close());
  await hook.app.inject({ method: 'POST', url: '/validate', payload: withImage('example.com/app:9.9', 'u-off') });
  t.same(levelsByUid(hook.logs), [['u-off', DEBUG]]);
  t.match(reviewLines(hook.logs)[0], { skipped: /pullguard\.io\/mode=off/ });
  t.same(await countedDecisions(hook.metrics), { allow: 1 });
});

/** A TCP server that accepts connections and never answers: a registry that hangs. */
async function silentServer(t: Test): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as { port: number }).port;
}

/** A port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const failOpenCases: readonly (readonly [string, (t: Test) => Promise<number>, string, string])[] = [
  ['a refused connection', () => closedPort(), 'unreachable', '10s'],
  // ?timeout=1s leaves the review its 200 ms floor; the registry never answers, so the budget runs out.
  ['an exhausted review budget', silentServer, 'timeout', '1s'],
];

for (const [name, start, findingClass, timeout] of failOpenCases) {
  t.test(`fail open, ${name}: info, even when the policy allows ${findingClass}`, async (t) => {
    const port = await start(t);
    for (const verdict of ['warn', 'allow'] as const) {
      const hook = await startWebhookUnderTest({
        config: {
          registries: [{ host: `127.0.0.1:${port}`, plainHttp: true }],
          policy: { [findingClass]: verdict },
          credentials: { kubernetes: false },
        },
      });
      t.teardown(() => hook.close());
      const answer = await hook.review(engineReview(engineDeployment('web', [`127.0.0.1:${port}/app:1.0`])), {
        timeout,
      });
      t.equal(answer.body.response.allowed, true, `${verdict}: admitted`);
      const lines = hook
        .logs()
        .split('\n')
        .filter((line) => line.includes('"msg":"review"'))
        .map((line) => JSON.parse(line) as Line);
      t.match(lines, [{ level: INFO, decision: verdict, findings: [{ class: findingClass, action: verdict }] }]);
      t.equal(lines.length, 1, `${verdict}: one review line`);
      t.match(
        await hook.metrics(),
        new RegExp(`pullguard_admission_requests_total\\{[^}]*decision="${verdict}"[^}]*\\} 1`),
      );
    }
  });
}

t.test('fail open, a reviewer that failed: an info review line, counted as a warning', async (t) => {
  const lines: string[] = [];
  const loggers = createLoggers('info', { write: (line: string) => void lines.push(line) });
  const metrics = createMetrics({ processMetrics: false });
  const app = buildWebhookApp({
    config: DEFAULT_CONFIG,
    reviewer: { review: () => Promise.reject(new Error('planted failure')) },
    metrics,
    logger: loggers.logger,
    reviewLogger: loggers.reviews,
  });
  t.teardown(() => app.close());
  const res = await app.inject({
    method: 'POST',
    url: '/validate',
    payload: admissionReview({ kind: POD_KIND, uid: 'u-failed', name: 'web', object: { spec: {} } }),
  });
  t.match(res.json(), { response: { uid: 'u-failed', allowed: true } });
  const reviews = lines.map((line) => JSON.parse(line) as Line).filter((line) => line['msg'] === 'review');
  t.match(reviews, [{ level: INFO, uid: 'u-failed', decision: 'warn', internalError: true, findings: [] }]);
  t.equal(reviews.length, 1);
  t.same(await countedDecisions(metrics), { warn: 1 });
});
