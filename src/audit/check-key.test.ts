import t from 'tap';
import { BUILT_IN_WORKLOADS } from '../workload/workload-catalog.js';
import type { PodSpecView } from '../workload/extract-pod-spec.js';
import { checkKey, credentialContext, placementKey } from './check-key.js';

const view = (spec: Record<string, unknown>): PodSpecView => {
  const extracted = BUILT_IN_WORKLOADS.extract('', 'Pod', {
    spec: { containers: [{ name: 'a', image: 'x' }], ...spec },
  });
  if (!extracted?.ok) throw new Error('a pod');
  return extracted.views[0]!;
};

t.test('credentials: namespace, service account and the named pull secrets in order', async (t) => {
  t.same(credentialContext('shop', view({ imagePullSecrets: [{ name: 'b' }, {}, { name: 'a' }] })), {
    namespace: 'shop',
    serviceAccountName: 'default',
    pullSecretNames: ['b', 'a'],
  });
  t.equal(credentialContext('shop', view({ serviceAccountName: 'builder' })).serviceAccountName, 'builder');
});

t.test('placement: map order does not matter, every constraint does', async (t) => {
  t.equal(
    placementKey(view({ nodeSelector: { a: '1', b: '2' } })),
    placementKey(view({ nodeSelector: { b: '2', a: '1' } })),
  );
  const keys = [
    placementKey(view({})),
    placementKey(view({ nodeSelector: { 'kubernetes.io/arch': 'arm64' } })),
    placementKey(view({ tolerations: [{ key: 'gpu', operator: 'Exists' }] })),
    placementKey(view({ nodeName: 'node-1' })),
    placementKey(view({ os: { name: 'windows' } })),
    placementKey(
      view({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
            },
          },
        },
      }),
    ),
  ];
  t.equal(new Set(keys).size, keys.length);
});

t.test('the key separates every part, without ambiguity from the text', async (t) => {
  const credentials = credentialContext('shop', view({ imagePullSecrets: [{ name: 'a' }] }));
  const base = checkKey('docker.io/library/nginx:1', credentials, '[]');
  t.equal(checkKey('docker.io/library/nginx:1', { ...credentials, pullSecretNames: ['a'] }, '[]'), base);
  t.not(checkKey('docker.io/library/nginx:2', credentials, '[]'), base);
  t.not(checkKey('docker.io/library/nginx:1', { ...credentials, namespace: 'other' }, '[]'), base);
  t.not(checkKey('docker.io/library/nginx:1', { ...credentials, pullSecretNames: ['a', 'b'] }, '[]'), base);
  t.not(
    checkKey('x', { namespace: 'a","b', serviceAccountName: 'c', pullSecretNames: [] }, '[]'),
    checkKey('x', { namespace: 'a', serviceAccountName: 'b","c', pullSecretNames: [] }, '[]'),
  );
});
