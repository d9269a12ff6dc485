/**
 * docs/design.md §5.4: one JSON log line per review, with uid, kind, namespace, name or generateName, operation,
 * dryRun, decision, durationMs and the findings (references and classes, no credentials, no messages). Which
 * reviews are logged at which level: webhook-log-levels.test.ts.
 */
import { pino } from 'pino';
import t from 'tap';
import { DEFAULT_CONFIG } from '../../src/config/load-config.js';
import { loggerOptions } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { buildWebhookApp } from '../../src/server/webhook-app.js';
import { WORKLOAD_KINDS, type WorkloadKind } from '../../src/workload/pod-spec-paths.js';
import { admissionReview, POD_KIND, workloadReview, workloadWith } from '../helpers/admission-review.js';
import { webhookUnderTest } from '../helpers/webhook-under-test.js';

const deployment = WORKLOAD_KINDS.find((k) => k.kind === 'Deployment') as WorkloadKind;
const reviewLines = (logs: Record<string, unknown>[]) => logs.filter((line) => line['msg'] === 'review');

t.test('one review line per review with the fields admins search by', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  const object = workloadWith(deployment, {
    containers: [
      { name: 'a', image: 'Bad:1' },
      { name: 'b', image: 'nginx' },
    ],
  });
  await hook.app.inject({
    method: 'POST',
    url: '/validate',
    payload: workloadReview(deployment, object, { uid: 'uid-deny', dryRun: true }),
  });
  const lines = reviewLines(hook.logs);
  t.equal(lines.length, 1);
  t.match(lines[0], {
    level: 30,
    service: 'pullguard',
    uid: 'uid-deny',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'web',
    operation: 'CREATE',
    dryRun: true,
    decision: 'deny',
    durationMs: Number,
    findings: [
      { path: 'spec.template.spec.containers[0].image', class: 'invalidReference', outcome: 'invalid', action: 'deny' },
      {
        path: 'spec.template.spec.containers[1].image',
        reference: 'docker.io/library/nginx:latest',
        class: 'latestTag',
        action: 'warn',
      },
    ],
  });
  t.notOk(JSON.stringify(lines[0]).includes('would fail to pull'), 'no rendered message in the log');
  t.notOk('object' in (lines[0] as object), 'the AdmissionReview is not logged');
});

t.test('controller-created pods are logged by generateName; skips say why', async (t) => {
  // Skips are logged at debug (docs/design.md §5.4).
  const hook = webhookUnderTest({ logLevel: 'debug' });
  t.teardown(() => hook.app.close());
  const owned = {
    metadata: {
      generateName: 'web-7d9c-',
      namespace: 'shop',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9c', uid: 'x', controller: true }],
    },
    spec: { containers: [{ name: 'a', image: 'nginx' }] },
  };
  await hook.app.inject({
    method: 'POST',
    url: '/validate',
    payload: admissionReview({ kind: POD_KIND, uid: 'uid-pod', object: owned }),
  });
  await hook.app.inject({
    method: 'POST',
    url: '/validate',
    payload: admissionReview({ kind: POD_KIND, uid: 'uid-del', operation: 'DELETE', name: 'web-1', object: null }),
  });
  const [pod, deleted] = reviewLines(hook.logs);
  t.match(pod, {
    uid: 'uid-pod',
    kind: 'Pod',
    generateName: 'web-7d9c-',
    decision: 'allow',
    dryRun: false,
    skipped: /owned by ReplicaSet web-7d9c/,
    findings: [],
  });
  t.notOk(pod && 'name' in pod);
  t.match(deleted, { uid: 'uid-del', operation: 'DELETE', name: 'web-1', decision: 'allow', skipped: /DELETE/ });
});

t.test('malformed bodies are logged without a review line; ten reviews make ten lines', async (t) => {
  // Clean allows are logged at info only with logging.reviews: all (docs/design.md §5.4).
  const hook = webhookUnderTest({ config: { logging: { reviews: 'all' } } });
  t.teardown(() => hook.app.close());
  await hook.app.inject({ method: 'POST', url: '/validate', payload: '{bad' });
  t.equal(reviewLines(hook.logs).length, 0);
  for (let i = 0; i < 10; i++) {
    await hook.app.inject({
      method: 'POST',
      url: '/validate',
      payload: workloadReview(
        deployment,
        workloadWith(deployment, { containers: [{ name: 'a', image: `example.com/a:${i}` }] }),
        { uid: `u-${i}` },
      ),
    });
  }
  t.same(
    reviewLines(hook.logs).map((l) => l['uid']),
    Array.from({ length: 10 }, (_, i) => `u-${i}`),
  );
  t.same(
    reviewLines(hook.logs).map((l) => l['decision']),
    Array(10).fill('allow'),
  );
});

t.test('the requests counter counts by kind, operation, decision and dry run', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  await hook.app.inject({
    method: 'POST',
    url: '/validate',
    payload: workloadReview(deployment, workloadWith(deployment, { containers: [{ name: 'a', image: 'Bad' }] }), {
      dryRun: true,
    }),
  });
  const text = await hook.metrics.registry.metrics();
  t.match(
    text,
    /pullguard_admission_requests_total\{kind="Deployment",operation="CREATE",decision="deny",dry_run="true"\} 1/,
  );
});

t.test('issue 13: 6 MB strings in every request field make log lines of a few hundred bytes', async (t) => {
  // At debug, so skips and clean allows write their lines too, and each is measured.
  const hook = webhookUnderTest({ logLevel: 'debug' });
  t.teardown(() => hook.app.close());
  const huge = (c: string) => c.repeat(6 * 1024 * 1024);
  const pod = (
    spec: Record<string, unknown> = { containers: [{ name: 'a', image: 'Bad:Image' }] },
    metadata: Record<string, unknown> = { name: 'web' },
  ) => ({ apiVersion: 'v1', kind: 'Pod', metadata, spec });
  const owned = {
    generateName: huge('g'),
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: huge('o'), uid: 'x', controller: true }],
  };
  const bodies: [string, unknown][] = [
    ['kind', admissionReview({ kind: { group: '', version: 'v1', kind: huge('K') }, object: pod() })],
    // The helper repeats the kind in resource and requestKind, as the API server does: three copies each.
    ['group', admissionReview({ kind: { group: huge('G'), version: 'v1', kind: 'Deployment' }, object: pod() })],
    ['version', admissionReview({ kind: { group: 'apps', version: huge('V'), kind: 'Deployment' }, object: pod() })],
    ['name', admissionReview({ kind: POD_KIND, name: huge('n'), object: pod() })],
    ['namespace', admissionReview({ kind: POD_KIND, namespace: huge('s'), object: pod() })],
    ['object name', admissionReview({ kind: POD_KIND, object: pod(undefined, { name: huge('m') }) })],
    ['generateName and owner', admissionReview({ kind: POD_KIND, object: pod(undefined, owned) })],
    [
      'subresource',
      admissionReview({ kind: POD_KIND, operation: 'UPDATE', subResource: huge('r'), object: pod(), oldObject: pod() }),
    ],
    [
      'image',
      admissionReview({ kind: POD_KIND, object: pod({ containers: [{ name: huge('c'), image: huge('I') }] }) }),
    ],
    [
      'extractor problem quoting a map key',
      admissionReview({
        kind: POD_KIND,
        object: pod({ nodeSelector: { [huge('k')]: 1 }, containers: [{ name: 'a', image: 'a:1' }] }),
      }),
    ],
    ['uid', admissionReview({ kind: POD_KIND, uid: huge('u'), object: pod() })],
    ['apiVersion', { ...admissionReview({ kind: POD_KIND, object: pod() }), apiVersion: huge('a') }],
  ];
  // 1 MB each here, so every body stays under the 28 MiB limit.
  const big = (c: string) => c.repeat(1024 * 1024);
  const userInfo = { username: big('U'), uid: big('i'), groups: [big('g')], extra: { [big('e')]: [big('x')] } };
  for (const [field, body] of bodies) {
    const review = body as { request: Record<string, unknown> };
    review.request['userInfo'] = userInfo;
    const before = hook.logs.length;
    const res = await hook.app.inject({ method: 'POST', url: '/validate', payload: JSON.stringify(review) });
    t.ok(res.statusCode === 200 || res.statusCode === 400, `${field}: answered (${res.statusCode})`);
    t.ok(res.body.length < 8192, `${field}: the answer is bounded too (${res.body.length} bytes)`);
    const lines = hook.logs.slice(before);
    t.equal(lines.length, 1, `${field}: one log line`);
    for (const line of lines) {
      const size = JSON.stringify(line).length;
      t.ok(size < 4096, `${field}: "${String(line['msg'])}" is ${size} bytes`);
    }
  }
  const metrics = await hook.metrics.registry.metrics();
  t.ok(metrics.length < 64 * 1024, `metrics stay small (${metrics.length} bytes)`);
  t.match(metrics, /kind="other"/, 'an unknown kind is counted as other');
});

t.test('an unexpected error is logged bounded, without its credentials, and the review admitted', async (t) => {
  const lines: string[] = [];
  const logger = pino(loggerOptions('info'), { write: (line: string) => void lines.push(line) });
  const failure = Object.assign(
    new Error(
      `fetch https://alice:hunter2@registry.example.com failed; Authorization: Bearer eyJsecret ${'x\n'.repeat(3_000_000)}`,
    ),
    {
      config: { headers: { authorization: 'Basic c2VjcmV0' } },
    },
  );
  const app = buildWebhookApp({
    config: DEFAULT_CONFIG,
    reviewer: { review: () => Promise.reject(failure) },
    metrics: createMetrics({ processMetrics: false }),
    logger,
  });
  t.teardown(() => app.close());
  const res = await app.inject({
    method: 'POST',
    url: '/validate',
    payload: admissionReview({ kind: POD_KIND, uid: 'u-err', object: { spec: {} } }),
  });
  t.match(res.json(), { response: { uid: 'u-err', allowed: true, warnings: [/internal error/] } });
  const logged = lines.find((line) => line.includes('review failed unexpectedly')) ?? '';
  t.ok(logged.length > 0 && logged.length < 4096, `one bounded line (${logged.length} bytes)`);
  for (const secret of ['hunter2', 'eyJsecret', 'c2VjcmV0']) t.notMatch(logged, secret, `no ${secret}`);
  t.match(JSON.parse(logged), {
    uid: 'u-err',
    error: { type: 'Error', message: /registry\.example\.com/, stack: /at / },
  });
});
