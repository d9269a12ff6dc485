import t from 'tap';
import { skipCause } from './audited-object.js';

const owned = (kind: string, controller: unknown = true) => ({
  metadata: {
    name: 'x',
    ownerReferences: [
      { apiVersion: 'v1', kind: 'Other', name: 'o' },
      { kind, name: 'o', controller },
    ],
  },
});

t.test('a Pod with any controller, or finished, is not audited; a bare running Pod is', async (t) => {
  t.equal(skipCause('', 'Pod', owned('ReplicaSet')), 'ownedByController');
  t.equal(skipCause('core', 'Pod', owned('StatefulSet')), 'ownedByController');
  t.equal(skipCause('', 'Pod', owned('Workflow')), 'ownedByController', "a custom resource's pod");
  t.equal(skipCause('', 'Pod', owned('ReplicaSet', false)), undefined, 'an owner that is not the controller');
  t.equal(skipCause('', 'Pod', { metadata: { name: 'debug' }, status: { phase: 'Running' } }), undefined);
  t.equal(skipCause('', 'Pod', { metadata: { name: 'debug' }, status: { phase: 'Pending' } }), undefined);
  t.equal(skipCause('', 'Pod', { metadata: {}, status: { phase: 'Succeeded' } }), 'finished');
  t.equal(skipCause('', 'Pod', { metadata: {}, status: { phase: 'Failed' } }), 'finished');
});

t.test('a ReplicaSet with a controller is its Deployment’s; a Job only a CronJob’s', async (t) => {
  t.equal(skipCause('apps', 'ReplicaSet', owned('Deployment')), 'ownedByController');
  t.equal(skipCause('apps', 'ReplicaSet', owned('Rollout')), 'ownedByController');
  t.equal(skipCause('apps', 'ReplicaSet', { metadata: { name: 'bare' } }), undefined);
  t.equal(skipCause('batch', 'Job', owned('CronJob')), 'ownedByController');
  t.equal(skipCause('batch', 'Job', owned('Workflow')), undefined);
  t.equal(skipCause('batch', 'Job', { metadata: { name: 'migrate' } }), undefined);
});

t.test('templates are always audited; an object being deleted never', async (t) => {
  t.equal(skipCause('apps', 'Deployment', owned('Something')), undefined);
  t.equal(skipCause('batch', 'CronJob', { metadata: {} }), undefined);
  t.equal(skipCause('apps', 'Deployment', { metadata: { deletionTimestamp: '2026-12-03T12:00:00Z' } }), 'deleting');
});

t.test('untrusted shapes never throw', async (t) => {
  for (const object of [null, 1, 'x', [], { metadata: 'x' }, { metadata: { ownerReferences: 'x' } }]) {
    t.equal(skipCause('', 'Pod', object), undefined, JSON.stringify(object));
  }
  t.equal(
    skipCause('', 'Pod', { metadata: { ownerReferences: [null, 3, { controller: true }] } }),
    'ownedByController',
  );
  t.equal(skipCause('batch', 'Job', { metadata: { ownerReferences: [{ controller: true, kind: 7 }] } }), undefined);
});
