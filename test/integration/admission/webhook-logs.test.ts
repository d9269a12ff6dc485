/**
 * SPEC §3.5: one JSON log line per review, with uid, kind, namespace, name or generateName, operation, dryRun,
 * decision, durationMs and the findings (references and classes, no credentials, no messages).
 */
import t from 'tap';
import { WORKLOAD_KINDS, type WorkloadKind } from '../../../src/workload/pod-spec-paths.js';
import { admissionReview, POD_KIND, workloadReview, workloadWith } from '../../helpers/admission-review.js';
import { webhookUnderTest } from '../../helpers/webhook-under-test.js';

const deployment = WORKLOAD_KINDS.find((k) => k.kind === 'Deployment') as WorkloadKind;
const reviewLines = (logs: Record<string, unknown>[]) => logs.filter((line) => line['msg'] === 'review');

t.test('one review line per review with the fields admins search by', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  const object = workloadWith(deployment, { containers: [{ name: 'a', image: 'Bad:1' }, { name: 'b', image: 'nginx' }] });
  await hook.app.inject({ method: 'POST', url: '/validate', payload: workloadReview(deployment, object, { uid: 'uid-deny', dryRun: true }) });
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
      { path: 'spec.template.spec.containers[1].image', reference: 'docker.io/library/nginx:latest', class: 'latestTag', action: 'warn' },
    ],
  });
  t.notOk(JSON.stringify(lines[0]).includes('would fail to pull'), 'no rendered message in the log');
  t.notOk('object' in (lines[0] as object), 'the AdmissionReview is not logged');
});

t.test('controller-created pods are logged by generateName; skips say why', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  const owned = {
    metadata: { generateName: 'web-7d9c-', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9c', uid: 'x', controller: true }] },
    spec: { containers: [{ name: 'a', image: 'nginx' }] },
  };
  await hook.app.inject({ method: 'POST', url: '/validate', payload: admissionReview({ kind: POD_KIND, uid: 'uid-pod', object: owned }) });
  await hook.app.inject({ method: 'POST', url: '/validate', payload: admissionReview({ kind: POD_KIND, uid: 'uid-del', operation: 'DELETE', name: 'web-1', object: null }) });
  const [pod, deleted] = reviewLines(hook.logs);
  t.match(pod, { uid: 'uid-pod', kind: 'Pod', generateName: 'web-7d9c-', decision: 'allow', dryRun: false, skipped: /owned by ReplicaSet web-7d9c/, findings: [] });
  t.notOk(pod && 'name' in pod);
  t.match(deleted, { uid: 'uid-del', operation: 'DELETE', name: 'web-1', decision: 'allow', skipped: /DELETE/ });
});

t.test('malformed bodies are logged without a review line; ten reviews make ten lines', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  await hook.app.inject({ method: 'POST', url: '/validate', payload: '{bad' });
  t.equal(reviewLines(hook.logs).length, 0);
  for (let i = 0; i < 10; i++) {
    await hook.app.inject({ method: 'POST', url: '/validate', payload: workloadReview(deployment, workloadWith(deployment, { containers: [{ name: 'a', image: `example.com/a:${i}` }] }), { uid: `u-${i}` }) });
  }
  t.same(reviewLines(hook.logs).map((l) => l['uid']), Array.from({ length: 10 }, (_, i) => `u-${i}`));
  t.same(reviewLines(hook.logs).map((l) => l['decision']), Array(10).fill('allow'));
});

t.test('the requests counter counts by kind, operation, decision and dry run', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  await hook.app.inject({ method: 'POST', url: '/validate', payload: workloadReview(deployment, workloadWith(deployment, { containers: [{ name: 'a', image: 'Bad' }] }), { dryRun: true }) });
  const text = await hook.metrics.registry.metrics();
  t.match(text, /pullguard_admission_requests_total\{kind="Deployment",operation="CREATE",decision="deny",dry_run="true"\} 1/);
});
