import t from 'tap';
import { CUSTOM_WORKLOAD_KINDS } from '../workload/custom-workloads.js';
import { auditedResources, collectionPath, resourceName, type WorkloadResource } from './workload-resources.js';

const keys = (rows: readonly WorkloadResource[]) => rows.map((r) => `${r.group}/${r.version}/${r.resource}/${r.kind}`);

t.test('the built-in workload kinds, never PodTemplate', async (t) => {
  const rows = auditedResources([]);
  t.same(keys(rows.filter((r) => r.builtIn)), [
    '/v1/pods/Pod',
    'apps/v1/deployments/Deployment',
    'apps/v1/statefulsets/StatefulSet',
    'apps/v1/daemonsets/DaemonSet',
    'apps/v1/replicasets/ReplicaSet',
    '/v1/replicationcontrollers/ReplicationController',
    'batch/v1/jobs/Job',
    'batch/v1/cronjobs/CronJob',
  ]);
  t.notOk(
    rows.some((r) => r.kind === 'PodTemplate'),
    'no PodTemplate',
  );
  t.ok(Object.isFrozen(rows) && rows.every((r) => Object.isFrozen(r)));
});

t.test('every built-in custom resource row, with its version and plural, not built in', async (t) => {
  const rows = auditedResources([]);
  const custom = rows.filter((r) => !r.builtIn);
  t.equal(custom.length, CUSTOM_WORKLOAD_KINDS.length);
  const rollout = custom.find((r) => r.group === 'argoproj.io' && r.kind === 'Rollout');
  t.same(rollout, { group: 'argoproj.io', version: 'v1alpha1', kind: 'Rollout', resource: 'rollouts', builtIn: false });
});

t.test('config rows count only when they name a version and a plural, and never replace a known kind', async (t) => {
  const rows = auditedResources([
    { group: 'example.com', kind: 'Widget' },
    { group: 'example.com', kind: 'Gadget', version: 'v2', resource: 'gadgets' },
    { group: 'core', kind: 'Thing', version: 'v1', resource: 'things' },
    { group: 'apps', kind: 'Deployment', version: 'v9', resource: 'deploys' },
    { group: 'example.com', kind: 'Bad', version: 'v1', resource: 'no/slash' },
  ]);
  const extra = rows.slice(auditedResources([]).length);
  t.same(keys(extra), ['example.com/v2/gadgets/Gadget', '/v1/things/Thing']);
  t.equal(rows.find((r) => r.kind === 'Deployment')?.version, 'v1');
});

t.test('collection paths: core under /api, groups under /apis, all namespaces or one', async (t) => {
  const [pods] = auditedResources([]);
  const deployments = auditedResources([]).find((r) => r.kind === 'Deployment');
  if (pods === undefined || deployments === undefined) return t.fail('rows missing');
  t.equal(collectionPath(pods), '/api/v1/pods');
  t.equal(collectionPath(pods, 'shop'), '/api/v1/namespaces/shop/pods');
  t.equal(collectionPath(deployments), '/apis/apps/v1/deployments');
  t.equal(collectionPath(deployments, 'a b/c'), '/apis/apps/v1/namespaces/a%20b%2Fc/deployments');
  t.equal(resourceName(pods), 'pods');
  t.equal(resourceName(deployments), 'deployments.apps');
});
