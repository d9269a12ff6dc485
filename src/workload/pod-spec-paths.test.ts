import t from 'tap';
import { findWorkloadKind, splitApiVersion, WORKLOAD_KINDS } from './pod-spec-paths.js';

// docs/design.md §1.1, written out independently of the table under test.
const EXPECTED: ReadonlyArray<readonly [group: string, version: string, kind: string, resource: string, path: string]> =
  [
    ['', 'v1', 'Pod', 'pods', 'spec'],
    ['apps', 'v1', 'Deployment', 'deployments', 'spec.template.spec'],
    ['apps', 'v1', 'StatefulSet', 'statefulsets', 'spec.template.spec'],
    ['apps', 'v1', 'DaemonSet', 'daemonsets', 'spec.template.spec'],
    ['apps', 'v1', 'ReplicaSet', 'replicasets', 'spec.template.spec'],
    ['', 'v1', 'ReplicationController', 'replicationcontrollers', 'spec.template.spec'],
    ['batch', 'v1', 'Job', 'jobs', 'spec.template.spec'],
    ['batch', 'v1', 'CronJob', 'cronjobs', 'spec.jobTemplate.spec.template.spec'],
    ['', 'v1', 'PodTemplate', 'podtemplates', 'template.spec'],
  ];

t.test('the table lists exactly the kinds of docs/design.md §1.1', async (t) => {
  t.equal(WORKLOAD_KINDS.length, EXPECTED.length);
  for (const [group, version, kind, resource, path] of EXPECTED) {
    const found = findWorkloadKind(group, kind);
    t.ok(found, `${group}/${kind} is found`);
    t.same(found && { ...found, podSpecPath: found.podSpecPath.join('.') }, {
      group,
      version,
      kind,
      resource,
      podSpecPath: path,
    });
  }
});

t.test('lookup is by group and kind, not version', async (t) => {
  t.equal(findWorkloadKind('core', 'Pod')?.kind, 'Pod', "'core' is an alias of the core group");
  t.equal(findWorkloadKind('', 'Deployment'), undefined, 'Deployment lives in apps');
  t.equal(findWorkloadKind('apps', 'deployment'), undefined, 'kinds are case-sensitive');
  t.equal(findWorkloadKind('batch', 'CronJob')?.version, 'v1');
  t.equal(findWorkloadKind('argoproj.io', 'Rollout'), undefined);
  t.equal(findWorkloadKind('', 'constructor'), undefined);
});

t.test('kinds that moved from extensions get their apps row; the others do not', async (t) => {
  for (const kind of ['DaemonSet', 'Deployment', 'ReplicaSet']) {
    const found = findWorkloadKind('extensions', kind);
    t.same(found && [found.group, found.kind, found.podSpecPath.join('.')], ['apps', kind, 'spec.template.spec'], kind);
  }
  for (const kind of ['StatefulSet', 'Ingress', 'NetworkPolicy', 'Job', 'deployment'])
    t.equal(findWorkloadKind('extensions', kind), undefined, `extensions/${kind}`);
  t.equal(findWorkloadKind('apps', 'Ingress'), undefined, 'only the listed kinds are aliased');
  t.equal(findWorkloadKind('extension', 'Deployment'), undefined);
});

t.test('the table is frozen', async (t) => {
  t.ok(Object.isFrozen(WORKLOAD_KINDS));
  for (const kind of WORKLOAD_KINDS) {
    t.ok(Object.isFrozen(kind) && Object.isFrozen(kind.podSpecPath), kind.kind);
  }
});

t.test('splitApiVersion', async (t) => {
  t.same(splitApiVersion('v1'), { group: '', version: 'v1' });
  t.same(splitApiVersion('apps/v1'), { group: 'apps', version: 'v1' });
  t.same(splitApiVersion('rbac.authorization.k8s.io/v1'), { group: 'rbac.authorization.k8s.io', version: 'v1' });
});
