import t from 'tap';
import type { AccessWanted } from './access-review.js';
import type { WorkloadResource } from './workload-resources.js';
import { auditAccessWanted, describeMissingAccess } from './audit-access.js';

const deployments: WorkloadResource = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  resource: 'deployments',
  builtIn: true,
};
const pods: WorkloadResource = { group: '', version: 'v1', kind: 'Pod', resource: 'pods', builtIn: true };

t.test('list and watch on each resource cluster-wide, the Lease in its namespace, events cluster-wide', async (t) => {
  t.same(auditAccessWanted([pods, deployments, pods], 'pg-system'), [
    { verb: 'list', group: '', resource: 'pods' },
    { verb: 'watch', group: '', resource: 'pods' },
    { verb: 'list', group: 'apps', resource: 'deployments' },
    { verb: 'watch', group: 'apps', resource: 'deployments' },
    { verb: 'get', group: 'coordination.k8s.io', resource: 'leases', namespace: 'pg-system' },
    { verb: 'create', group: 'coordination.k8s.io', resource: 'leases', namespace: 'pg-system' },
    { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: 'pg-system' },
    { verb: 'create', group: '', resource: 'events' },
    { verb: 'get', group: '', resource: 'events' },
    { verb: 'patch', group: '', resource: 'events' },
  ]);
  t.equal(auditAccessWanted([], 'pullguard').length, 6, 'the Lease and the events even without resources');
});

const deny = (verb: string, group: string, resource: string, namespace?: string): AccessWanted => ({
  verb,
  group,
  resource,
  ...(namespace !== undefined ? { namespace } : {}),
});

t.test('the one log line names what is missing, grouped by verb', async (t) => {
  t.equal(
    describeMissingAccess([
      deny('create', '', 'events'),
      deny('watch', 'batch', 'cronjobs'),
      deny('list', 'apps', 'deployments'),
    ]),
    'audit off: the service account may not list deployments.apps, watch cronjobs.batch, create events; grant the ' +
      'pullguard-audit roles in manifests/base/rbac.yaml',
    'in verb order, whatever order they were denied in',
  );
  t.equal(
    describeMissingAccess([
      deny('list', 'apps', 'deployments'),
      deny('list', 'apps', 'statefulsets'),
      deny('list', 'batch', 'jobs'),
      deny('get', 'coordination.k8s.io', 'leases', 'pullguard'),
      deny('list', 'apps', 'deployments'),
    ]),
    'audit off: the service account may not list deployments.apps, statefulsets.apps and jobs.batch; get ' +
      'leases.coordination.k8s.io in pullguard; grant the pullguard-audit roles in manifests/base/rbac.yaml',
  );
  t.equal(describeMissingAccess([]), '', 'nothing denied, no line');
});

t.test('sixty denials still make one short line that counts the rest', async (t) => {
  const denied: AccessWanted[] = [];
  for (let i = 0; i < 30; i++) {
    denied.push(deny('list', 'example.com', `things${i}`));
    denied.push(deny('watch', 'example.com', `things${i}`));
  }
  const line = describeMissingAccess(denied);
  t.match(
    line,
    /^audit off: the service account may not list things0\.example\.com, .*, things7\.example\.com and 52 more; grant/,
  );
  t.notMatch(line, /watch/, 'the cap is reached before the second verb');
  t.ok(line.length < 400, `short (${line.length} characters)`);
  t.notMatch(line, /\n/);
});

t.test('a control character cannot break the line', async (t) => {
  const line = describeMissingAccess([deny('list\n', 'x.io', 'a\u001b[31mb')]);
  t.notMatch(line, /[\n\u001b]/);
  t.match(line, /may not list\? a\?\[31mb\.x\.io;/);
});
