import { KubeConfig } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import { discoverServedResources } from '../../src/kube/api-discovery.js';
import type { WorkloadResource } from '../../src/kube/workload-resources.js';
import { startFakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';

const deployments: WorkloadResource = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  resource: 'deployments',
  builtIn: true,
};
const pods: WorkloadResource = { group: '', version: 'v1', kind: 'Pod', resource: 'pods', builtIn: true };
const rollouts: WorkloadResource = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  kind: 'Rollout',
  resource: 'rollouts',
  builtIn: false,
};
const knative: WorkloadResource = {
  group: 'serving.knative.dev',
  version: 'v1',
  kind: 'Service',
  resource: 'services',
  builtIn: false,
};
const clones: WorkloadResource = {
  group: 'apps.kruise.io',
  version: 'v1alpha1',
  kind: 'CloneSet',
  resource: 'clonesets',
  builtIn: false,
};

async function setup(t: Test) {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  const discover = (resources: readonly WorkloadResource[], requestTimeoutMs = 5000) =>
    discoverServedResources(kubeConfig, resources, { signal: AbortSignal.timeout(10_000), requestTimeoutMs });
  return { api, discover };
}

t.test('built-ins are served without asking; a custom resource only when discovery lists it', async (t) => {
  const { api, discover } = await setup(t);
  t.same(await discover([pods, deployments]), { served: [pods, deployments] });
  t.same(api.requests(), [], 'no discovery request for built-ins only');
  api.defineResource({
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Rollout',
    plural: 'rollouts',
    namespaced: true,
  });
  api.defineResource({
    group: 'apps.kruise.io',
    version: 'v1alpha1',
    kind: 'CloneSet',
    plural: 'clonesets',
    namespaced: true,
    verbs: ['get', 'list'],
  });
  const found = await discover([pods, rollouts, knative, clones, deployments]);
  t.same(found, { served: [pods, deployments, rollouts] }, 'knative is not installed; clonesets cannot be watched');
  t.same(
    api.requests().map((r) => r.path),
    ['/apis', '/apis/argoproj.io/v1alpha1', '/apis/apps.kruise.io/v1alpha1'],
    'one request per group version offered',
  );
});

t.test('a failing /apis leaves the custom resources out with a problem', async (t) => {
  const { api, discover } = await setup(t);
  api.defineResource({
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Rollout',
    plural: 'rollouts',
    namespaced: true,
  });
  api.fault(/^\/apis$/, { status: 500, times: 1 });
  t.same(await discover([pods, rollouts]), {
    served: [pods],
    problem: 'API discovery failed: /apis: unavailable (HTTP 500)',
  });
  api.fault(/^\/apis$/, { body: 'garbage', times: 1 });
  t.match(await discover([pods, rollouts]), { served: [pods], problem: /\/apis: invalid/ });
  api.fault(/^\/apis$/, { body: '{"kind":"Status"}', times: 1 });
  t.match(await discover([rollouts]), { served: [], problem: /not a discovery document/ });
  api.fault(/^\/apis$/, { hang: true, times: 1 });
  t.match(await discover([rollouts], 300), { served: [], problem: /\/apis: timeout/ });
  t.same(await discover([rollouts]), { served: [rollouts] }, 'served again once discovery answers');
});

t.test('a failing group version leaves its resources out and is named', async (t) => {
  const { api, discover } = await setup(t);
  api.defineResource({
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Rollout',
    plural: 'rollouts',
    namespaced: true,
  });
  api.defineResource({
    group: 'apps.kruise.io',
    version: 'v1alpha1',
    kind: 'CloneSet',
    plural: 'clonesets',
    namespaced: true,
  });
  api.fault(/^\/apis\/argoproj\.io\/v1alpha1$/, { status: 403 });
  t.same(await discover([rollouts, clones]), {
    served: [clones],
    problem: 'API discovery failed: /apis/argoproj.io/v1alpha1: forbidden (HTTP 403)',
  });
  api.fault(/^\/apis\/apps\.kruise\.io\/v1alpha1$/, { body: '[]' });
  t.same(await discover([rollouts, clones]), {
    served: [],
    problem: 'API discovery failed: /apis/argoproj.io/v1alpha1: forbidden (HTTP 403) (and 1 more group versions)',
  });
});

t.test('at most 8 discovery requests are in flight', async (t) => {
  const { api, discover } = await setup(t);
  const many: WorkloadResource[] = [];
  for (let i = 0; i < 20; i++) {
    const group = `g${i}.example.com`;
    api.defineResource({ group, version: 'v1', kind: 'Thing', plural: 'things', namespaced: true });
    many.push({ group, version: 'v1', kind: 'Thing', resource: 'things', builtIn: false });
  }
  api.fault(/^\/apis\/g\d+\.example\.com\/v1$/, { delayMs: 150 });
  const started = Date.now();
  const found = await discover(many);
  t.equal(found.served.length, 20);
  t.ok(Date.now() - started >= 3 * 150 - 20, 'twenty slow requests take three rounds of eight');
  t.ok(Date.now() - started < 20 * 150, 'and not one at a time');
});
