import t from 'tap';
import { skipReason } from './skip-rules.js';

const pod = (metadata: Record<string, unknown>) => ({ metadata, spec: {} });
const controller = (apiVersion: string, kind: string, isController = true) => ({
  ownerReferences: [
    { apiVersion, kind, name: 'owner', uid: 'd9607e19-f88f-11e6-a518-42010a800195', controller: isController },
  ],
});
const ownerRef = (ref: Record<string, unknown>) =>
  pod({
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9c', uid: 'u-1', controller: true, ...ref },
    ],
  });

t.test('which requests are skipped (docs/design.md §1.8)', async (t) => {
  const cases: [string, Parameters<typeof skipReason>[0], RegExp | undefined][] = [
    ['CREATE Pod', { kindName: 'Pod', operation: 'CREATE', object: pod({}) }, undefined],
    ['UPDATE Deployment', { kindName: 'Deployment', operation: 'UPDATE', object: {} }, undefined],
    ['DELETE', { kindName: 'Pod', operation: 'DELETE', object: null }, /operation DELETE/],
    ['CONNECT', { kindName: 'Pod', operation: 'CONNECT', object: null }, /operation CONNECT/],
    ['status', { kindName: 'Pod', operation: 'UPDATE', subResource: 'status', object: pod({}) }, /subresource status/],
    ['scale', { kindName: 'Deployment', operation: 'UPDATE', subResource: 'scale', object: {} }, /subresource scale/],
    [
      'ephemeralcontainers on a Pod',
      { kindName: 'Pod', operation: 'UPDATE', subResource: 'ephemeralcontainers', object: pod({}) },
      undefined,
    ],
    [
      'ephemeralcontainers on a controller-owned Pod',
      {
        kindName: 'Pod',
        operation: 'UPDATE',
        subResource: 'ephemeralcontainers',
        object: pod(controller('apps/v1', 'ReplicaSet')),
      },
      undefined,
    ],
    [
      'ephemeralcontainers on another kind',
      { kindName: 'Deployment', operation: 'UPDATE', subResource: 'ephemeralcontainers', object: {} },
      /subresource/,
    ],
    [
      'owned by a ReplicaSet',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('apps/v1', 'ReplicaSet')) },
      /owned by ReplicaSet owner/,
    ],
    [
      'owned by a DaemonSet',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('apps/v1', 'DaemonSet')) },
      /owned by DaemonSet/,
    ],
    [
      'owned by a Job',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('batch/v1', 'Job')) },
      /owned by Job/,
    ],
    [
      'owned by a ReplicationController',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('v1', 'ReplicationController')) },
      /owned by/,
    ],
    [
      'owned by a CRD',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('argoproj.io/v1alpha1', 'Rollout')) },
      undefined,
    ],
    [
      'a same-named kind in another group',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('example.com/v1', 'ReplicaSet')) },
      undefined,
    ],
    [
      'a non-controller owner',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('apps/v1', 'ReplicaSet', false)) },
      undefined,
    ],
    [
      'owned by a StatefulSet',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('apps/v1', 'StatefulSet')) },
      /owned by StatefulSet/,
    ],
    [
      'UPDATE of a controller-owned Pod (kubectl set image pod/…)',
      { kindName: 'Pod', operation: 'UPDATE', object: pod(controller('apps/v1', 'ReplicaSet')) },
      undefined,
    ],
    [
      'a Deployment never creates pods itself',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('apps/v1', 'Deployment')) },
      undefined,
    ],
    [
      'a CronJob never creates pods itself',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('batch/v1', 'CronJob')) },
      undefined,
    ],
    [
      'a Pod never creates pods',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('v1', 'Pod')) },
      undefined,
    ],
    [
      'a PodTemplate never creates pods',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('v1', 'PodTemplate')) },
      undefined,
    ],
    [
      'another version of ReplicaSet',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('apps/v1beta2', 'ReplicaSet')) },
      undefined,
    ],
    [
      'extensions/v1beta1 ReplicaSet',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('extensions/v1beta1', 'ReplicaSet')) },
      undefined,
    ],
    [
      'batch/v1beta1 Job',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('batch/v1beta1', 'Job')) },
      undefined,
    ],
    [
      'ReplicationController in a group',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('apps/v1', 'ReplicationController')) },
      undefined,
    ],
    [
      'a lowercase kind',
      { kindName: 'Pod', operation: 'CREATE', object: pod(controller('apps/v1', 'replicaset')) },
      undefined,
    ],
    [
      'a complete ReplicaSet reference',
      { kindName: 'Pod', operation: 'CREATE', object: ownerRef({}) },
      /owned by ReplicaSet web-7d9c/,
    ],
    ['no uid', { kindName: 'Pod', operation: 'CREATE', object: ownerRef({ uid: undefined }) }, undefined],
    ['an empty uid', { kindName: 'Pod', operation: 'CREATE', object: ownerRef({ uid: '' }) }, undefined],
    ['a uid that is not a string', { kindName: 'Pod', operation: 'CREATE', object: ownerRef({ uid: 42 }) }, undefined],
    ['no name', { kindName: 'Pod', operation: 'CREATE', object: ownerRef({ name: undefined }) }, undefined],
    ['a blank name', { kindName: 'Pod', operation: 'CREATE', object: ownerRef({ name: ' ' }) }, undefined],
    [
      'controller: "true" (a string)',
      { kindName: 'Pod', operation: 'CREATE', object: ownerRef({ controller: 'true' }) },
      undefined,
    ],
    [
      'mirror pod',
      { kindName: 'Pod', operation: 'CREATE', object: pod({ annotations: { 'kubernetes.io/config.mirror': 'h' } }) },
      /mirror pod/,
    ],
    [
      'garbage ownerReferences',
      { kindName: 'Pod', operation: 'CREATE', object: pod({ ownerReferences: 'x' }) },
      undefined,
    ],
    ['no metadata', { kindName: 'Pod', operation: 'CREATE', object: {} }, undefined],
  ];
  for (const [name, input, expected] of cases) {
    const reason = skipReason(input);
    if (expected) t.match(reason, expected, name);
    else t.equal(reason, undefined, name);
  }
});
