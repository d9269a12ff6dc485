import { KubeConfig } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import { reviewAccess, type AccessWanted } from '../../src/kube/access-review.js';
import { auditAccessWanted, describeMissingAccess } from '../../src/kube/audit-access.js';
import type { WorkloadResource } from '../../src/kube/workload-resources.js';
import { startFakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';

async function setup(t: Test) {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  const review = (wanted: readonly AccessWanted[], requestTimeoutMs = 5000) =>
    reviewAccess(kubeConfig, wanted, { signal: AbortSignal.timeout(10_000), requestTimeoutMs });
  return { api, review };
}

const resources: WorkloadResource[] = [
  { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', builtIn: true },
  { group: 'batch', version: 'v1', kind: 'CronJob', resource: 'cronjobs', builtIn: true },
  { group: '', version: 'v1', kind: 'Pod', resource: 'pods', builtIn: true },
];
const reviews = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

t.test('everything granted: nothing denied, one review per distinct access', async (t) => {
  const { api, review } = await setup(t);
  const wanted = auditAccessWanted(resources, 'pullguard');
  t.same(await review([...wanted, ...wanted]), { denied: [] });
  t.equal(api.requests().filter((r) => r.method === 'POST' && r.path === reviews).length, wanted.length);
});

t.test('what RBAC denies comes back with the reason, and names the one log line', async (t) => {
  const { api, review } = await setup(t);
  api.deny({ verb: 'list', group: 'apps', resource: 'deployments' });
  api.deny({ verb: 'watch', group: 'batch', resource: 'cronjobs' });
  api.deny({ verb: 'create', group: '', resource: 'events' });
  api.deny({ group: 'coordination.k8s.io', namespace: 'elsewhere' });
  const verdict = await review(auditAccessWanted(resources, 'pullguard'));
  t.same(verdict, {
    denied: [
      { verb: 'list', group: 'apps', resource: 'deployments', reason: 'RBAC: no rule grants list on deployments.apps' },
      { verb: 'watch', group: 'batch', resource: 'cronjobs', reason: 'RBAC: no rule grants watch on cronjobs.batch' },
      { verb: 'create', group: '', resource: 'events', reason: 'RBAC: no rule grants create on events' },
    ],
  });
  t.equal(
    describeMissingAccess(verdict.denied),
    'audit off: the service account may not list deployments.apps, watch cronjobs.batch, create events; grant the ' +
      'pullguard-audit roles in manifests/base/rbac.yaml',
  );
  api.clearDenials();
  api.deny({ resource: 'leases', namespace: 'pullguard' });
  t.same(
    (await review(auditAccessWanted(resources, 'pullguard'))).denied.map((d) => `${d.verb} ${d.namespace ?? ''}`),
    ['get pullguard', 'create pullguard', 'update pullguard'],
  );
});

t.test('an answer that is not a review is a problem, never "allowed"', async (t) => {
  const { api, review } = await setup(t);
  const wanted: AccessWanted[] = [{ verb: 'list', group: 'apps', resource: 'deployments' }];
  api.fault(/selfsubjectaccessreviews/, { status: 500, times: 1 });
  t.same(await review(wanted), {
    denied: [],
    problem: 'access review failed for list deployments.apps: unavailable (HTTP 500)',
  });
  api.fault(/selfsubjectaccessreviews/, { status: 200, body: 'garbage', times: 1 });
  t.match(await review(wanted), { denied: [], problem: /invalid/ });
  api.fault(/selfsubjectaccessreviews/, {
    status: 201,
    body: '{"kind":"SelfSubjectAccessReview","status":{}}',
    times: 1,
  });
  t.match(await review(wanted), { denied: [], problem: /not a SelfSubjectAccessReview/ });
  api.fault(/selfsubjectaccessreviews/, { status: 201, body: '{"kind":"Status","status":{"allowed":true}}', times: 1 });
  t.match(await review(wanted), { denied: [], problem: /not a SelfSubjectAccessReview/ });
  api.fault(/selfsubjectaccessreviews/, { status: 403, times: 2 });
  t.match(await review([...wanted, { verb: 'watch', group: 'apps', resource: 'deployments' }]), {
    denied: [],
    problem: 'access review failed for list deployments.apps: forbidden (HTTP 403) (and 1 more)',
  });
  api.fault(/selfsubjectaccessreviews/, { hang: true, times: 1 });
  t.match(await review(wanted, 300), { denied: [], problem: /timeout/ });
  t.same(await review(wanted), { denied: [] }, 'answers again');
});

t.test('at most 8 reviews are in flight', async (t) => {
  const { api, review } = await setup(t);
  api.fault(/selfsubjectaccessreviews/, { delayMs: 150 });
  const wanted = Array.from({ length: 20 }, (_, i) => ({ verb: 'list', group: 'apps', resource: `r${i}` }));
  const started = Date.now();
  t.same(await review(wanted), { denied: [] });
  t.ok(Date.now() - started >= 3 * 150 - 20, 'twenty slow reviews take three rounds of eight');
  t.ok(Date.now() - started < 20 * 150, 'and not one at a time');
});
