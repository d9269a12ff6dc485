import t from 'tap';
import { atPodSpec, targetOf } from './workload-target.js';

t.test('each owner kind maps to its pod template, a bare pod to itself, a Job to recreating it', async (t) => {
  t.same(targetOf('p', { kind: 'Deployment', name: 'web' }), {
    kind: 'template',
    resource: 'deployment',
    name: 'web',
    specPath: ['spec', 'template', 'spec'],
  });
  for (const [kind, resource] of [
    ['StatefulSet', 'statefulset'],
    ['DaemonSet', 'daemonset'],
    ['ReplicaSet', 'replicaset'],
    ['ReplicationController', 'replicationcontroller'],
  ] as const)
    t.match(targetOf('p', { kind, name: 'x' }), { kind: 'template', resource, specPath: ['spec', 'template', 'spec'] });
  t.match(targetOf('p', { kind: 'CronJob', name: 'nightly' }), {
    resource: 'cronjob',
    specPath: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  });
  t.same(targetOf('p', undefined), { kind: 'pod', name: 'p' });
  t.match(targetOf('p', { kind: 'Job', name: 'once' }), { kind: 'recreate', what: /job once .*recreate the Job/ });
  t.match(targetOf('p', { kind: 'Rollout', name: 'r' }), { kind: 'recreate', what: 'the pod template of Rollout r' });
  t.match(targetOf('p', { kind: 'toString', name: 'r' }), { kind: 'recreate' }, 'no prototype key is a kind');
});

t.test('a body placed at the pod spec of a strategic merge patch', async (t) => {
  t.same(atPodSpec(['spec', 'template', 'spec'], { a: 1 }), { spec: { template: { spec: { a: 1 } } } });
  t.same(atPodSpec([], { a: 1 }), { a: 1 });
});
