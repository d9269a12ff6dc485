import t from 'tap';
import { leanObject } from './lean-object.js';

t.test('drops managed fields, the last-applied annotation and all of status but the phase', async (t) => {
  const object = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web',
      namespace: 'shop',
      managedFields: [{ manager: 'kubectl' }],
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":true}', team: 'a' },
      ownerReferences: [{ kind: 'ReplicaSet', controller: true }],
      deletionTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: { containers: [{ name: 'app', image: 'nginx' }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'app' }] },
  };
  const copy = JSON.parse(JSON.stringify(object)) as unknown;
  t.same(leanObject(object), {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web',
      namespace: 'shop',
      annotations: { team: 'a' },
      ownerReferences: [{ kind: 'ReplicaSet', controller: true }],
      deletionTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: { containers: [{ name: 'app', image: 'nginx' }] },
    status: { phase: 'Running' },
  });
  t.same(object, copy, 'the input is untouched');
});

t.test('an annotation map left empty goes; no status phase: no status', async (t) => {
  t.same(
    leanObject({
      metadata: { name: 'd', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      status: { replicas: 3 },
    }),
    { metadata: { name: 'd' } },
  );
});

t.test('bad input comes back as it is, never a throw', async (t) => {
  for (const value of [null, 'text', 3, [1, 2], undefined]) t.same(leanObject(value), value);
  t.same(leanObject({ metadata: 'odd', status: 'odd' }), { metadata: 'odd' });
  t.same(leanObject({ metadata: { annotations: 'odd' } }), { metadata: { annotations: 'odd' } });
});
