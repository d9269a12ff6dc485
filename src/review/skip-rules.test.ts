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
    ['CREATE Pod', { isCorePod: true, operation: 'CREATE', object: pod({}) }, undefined],
    ['UPDATE Deployment', { isCorePod: false, operation: 'UPDATE', object: {} }, undefined],
    ['DELETE', { isCorePod: true, operation: 'DELETE', object: null }, /operation DELETE/],
    ['CONNECT', { isCorePod: true, operation: 'CONNECT', object: null }, /operation CONNECT/],
    ['status', { isCorePod: true, operation: 'UPDATE', subResource: 'status', object: pod({}) }, /subresource status/],
    ['scale', { isCorePod: false, operation: 'UPDATE', subResource: 'scale', object: {} }, /subresource scale/],
    [
      'ephemeralcontainers on a Pod',
      { isCorePod: true, operation: 'UPDATE', subResource: 'ephemeralcontainers', object: pod({}) },
      undefined,
    ],
    [
      'ephemeralcontainers on a controller-owned Pod',
      {
        isCorePod: true,
        operation: 'UPDATE',
        subResource: 'ephemeralcontainers',
        object: pod(controller('apps/v1', 'ReplicaSet')),
      },
      undefined,
    ],
    [
      'ephemeralcontainers on another kind',
      { isCorePod: false, operation: 'UPDATE', subResource: 'ephemeralcontainers', object: {} },
      /subresource/,
    ],
    [
      'a custom kind named Pod, owned by a ReplicaSet: no pod rules',
      { isCorePod: false, operation: 'CREATE', object: pod(controller('apps/v1', 'ReplicaSet')) },
      undefined,
    ],
    [
      'a custom kind named Pod with a mirror annotation: no pod rules',
      { isCorePod: false, operation: 'CREATE', object: pod({ annotations: { 'kubernetes.io/config.mirror': 'h' } }) },
      undefined,
    ],
    [
      'owned by a ReplicaSet',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('apps/v1', 'ReplicaSet')) },
      /owned by ReplicaSet owner/,
    ],
    [
      'owned by a DaemonSet',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('apps/v1', 'DaemonSet')) },
      /owned by DaemonSet/,
    ],
    [
      'owned by a Job',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('batch/v1', 'Job')) },
      /owned by Job/,
    ],
    [
      'owned by a ReplicationController',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('v1', 'ReplicationController')) },
      /owned by/,
    ],
    [
      'owned by a CRD',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('argoproj.io/v1alpha1', 'Rollout')) },
      undefined,
    ],
    [
      'a same-named kind in another group',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('example.com/v1', 'ReplicaSet')) },
      undefined,
    ],
    [
      'a non-controller owner',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('apps/v1', 'ReplicaSet', false)) },
      undefined,
    ],
    [
      'owned by a StatefulSet',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('apps/v1', 'StatefulSet')) },
      /owned by StatefulSet/,
    ],
    [
      'UPDATE of a controller-owned Pod (kubectl set image pod/…)',
      { isCorePod: true, operation: 'UPDATE', object: pod(controller('apps/v1', 'ReplicaSet')) },
      undefined,
    ],
    [
      'a Deployment never creates pods itself',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('apps/v1', 'Deployment')) },
      undefined,
    ],
    [
      'a CronJob never creates pods itself',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('batch/v1', 'CronJob')) },
      undefined,
    ],
    [
      'a Pod never creates pods',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('v1', 'Pod')) },
      undefined,
    ],
    [
      'a PodTemplate never creates pods',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('v1', 'PodTemplate')) },
      undefined,
    ],
    [
      'another version of ReplicaSet',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('apps/v1beta2', 'ReplicaSet')) },
      undefined,
    ],
    [
      'extensions/v1beta1 ReplicaSet',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('extensions/v1beta1', 'ReplicaSet')) },
      undefined,
    ],
    [
      'batch/v1beta1 Job',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('batch/v1beta1', 'Job')) },
      undefined,
    ],
    [
      'ReplicationController in a group',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('apps/v1', 'ReplicationController')) },
      undefined,
    ],
    [
      'a lowercase kind',
      { isCorePod: true, operation: 'CREATE', object: pod(controller('apps/v1', 'replicaset')) },
      undefined,
    ],
    [
      'a complete ReplicaSet reference',
      { isCorePod: true, operation: 'CREATE', object: ownerRef({}) },
      /owned by ReplicaSet web-7d9c/,
    ],
    ['no uid', { isCorePod: true, operation: 'CREATE', object: ownerRef({ uid: undefined }) }, undefined],
    ['an empty uid', { isCorePod: true, operation: 'CREATE', object: ownerRef({ uid: '' }) }, undefined],
    ['a uid that is not a string', { isCorePod: true, operation: 'CREATE', object: ownerRef({ uid: 42 }) }, undefined],
    ['no name', { isCorePod: true, operation: 'CREATE', object: ownerRef({ name: undefined }) }, undefined],
    ['a blank name', { isCorePod: true, operation: 'CREATE', object: ownerRef({ name: ' ' }) }, undefined],
    [
      'controller: "true" (a string)',
      { isCorePod: true, operation: 'CREATE', object: ownerRef({ controller: 'true' }) },
      undefined,
    ],
    [
      'mirror pod',
      { isCorePod: true, operation: 'CREATE', object: pod({ annotations: { 'kubernetes.io/config.mirror': 'h' } }) },
      /mirror pod/,
    ],
    [
      'garbage ownerReferences',
      { isCorePod: true, operation: 'CREATE', object: pod({ ownerReferences: 'x' }) },
      undefined,
    ],
    ['no metadata', { isCorePod: true, operation: 'CREATE', object: {} }, undefined],
  ];
  for (const [name, input, expected] of cases) {
    const reason = skipReason(input);
    if (expected) t.match(reason, expected, name);
    else t.equal(reason, undefined, name);
  }
});
