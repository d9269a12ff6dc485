import t from 'tap';
import { BUILT_IN_WORKLOADS } from '../workload/workload-catalog.js';
import { buildInventory, MAX_PROBLEMS, type WorkloadObject } from './inventory.js';

const podSpec = (image: string, extra: Record<string, unknown> = {}) => ({
  containers: [{ name: 'app', image }],
  ...extra,
});

const deployment = (name: string, image: string, spec: Record<string, unknown> = {}, replicas = 1): WorkloadObject => ({
  group: 'apps',
  kind: 'Deployment',
  object: {
    metadata: { name, namespace: 'shop', uid: `uid-${name}` },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { spec: podSpec(image, spec) } },
  },
});

const cronJob: WorkloadObject = {
  group: 'batch',
  kind: 'CronJob',
  object: {
    metadata: { name: 'nightly', namespace: 'shop' },
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: { spec: { template: { spec: podSpec('registry.example.com/tools/report:2.1') } } },
    },
  },
};

const ownedBy = (kind: string, name: string) => [
  { apiVersion: 'apps/v1', kind, name, uid: 'u1', controller: true, blockOwnerDeletion: true },
];

const replicaSetPod: WorkloadObject = {
  group: '',
  kind: 'Pod',
  object: {
    metadata: { name: 'web-7d4b9c-x2x', namespace: 'shop', ownerReferences: ownedBy('ReplicaSet', 'web-7d4b9c') },
    spec: podSpec('nginx:1.27'),
    status: { phase: 'Running' },
  },
};

const deploymentReplicaSet: WorkloadObject = {
  group: 'apps',
  kind: 'ReplicaSet',
  object: {
    metadata: { name: 'web-7d4b9c', namespace: 'shop', ownerReferences: ownedBy('Deployment', 'web') },
    spec: { template: { spec: podSpec('nginx:1.27') } },
  },
};

t.test(
  'a Deployment scaled to zero and a CronJob are audited; their ReplicaSet and Pod are not counted twice',
  async (t) => {
    const inventory = buildInventory(BUILT_IN_WORKLOADS, [
      deployment('web', 'nginx:1.27', {}, 0),
      deploymentReplicaSet,
      replicaSetPod,
      cronJob,
    ]);
    t.same(
      inventory.checks.map((check) => check.canonical),
      ['docker.io/library/nginx:1.27', 'registry.example.com/tools/report:2.1'],
    );
    t.same(inventory.checks[0]?.uses, [
      {
        namespace: 'shop',
        group: 'apps',
        kind: 'Deployment',
        name: 'web',
        uid: 'uid-web',
        container: 'app',
        section: 'containers',
        path: 'spec.template.spec.containers[0].image',
      },
    ]);
    t.equal(inventory.checks[1]?.uses[0]?.path, 'spec.jobTemplate.spec.template.spec.containers[0].image');
    t.equal(inventory.checks[1]?.uses[0]?.kind, 'CronJob');
    t.same(inventory.skipped, { ownedByController: 2, finished: 0, deleting: 0, notAWorkload: 0 });
    t.equal(inventory.objects, 4);
    t.equal(inventory.capped, undefined);
  },
);

t.test('two workloads sharing an image and a secret are one check; another secret is another check', async (t) => {
  const secret = (name: string) => ({ imagePullSecrets: [{ name }] });
  const inventory = buildInventory(BUILT_IN_WORKLOADS, [
    deployment('web', 'registry.example.com/shop/web:1', secret('pull-a')),
    deployment('worker', 'registry.example.com/shop/web:1', secret('pull-a')),
    deployment('batch', 'registry.example.com/shop/web:1', secret('pull-b')),
  ]);
  t.equal(inventory.checks.length, 2);
  t.same(
    inventory.checks[0]?.uses.map((use) => use.name),
    ['web', 'worker'],
  );
  t.same(inventory.checks[0]?.credentials, {
    namespace: 'shop',
    serviceAccountName: 'default',
    pullSecretNames: ['pull-a'],
  });
  t.same(
    inventory.checks[1]?.uses.map((use) => use.name),
    ['batch'],
  );
});

t.test(
  'the same image by another spelling is the same check; another namespace, account or placement is not',
  async (t) => {
    const inventory = buildInventory(BUILT_IN_WORKLOADS, [
      deployment('a', 'nginx:1.27'),
      deployment('b', 'docker.io/library/nginx:1.27'),
      deployment('c', 'nginx:1.27', { serviceAccountName: 'builder' }),
      deployment('d', 'nginx:1.27', { nodeSelector: { 'kubernetes.io/arch': 'arm64' } }),
      {
        ...deployment('e', 'nginx:1.27'),
        object: { metadata: { name: 'e', namespace: 'other' }, spec: { template: { spec: podSpec('nginx:1.27') } } },
      },
    ]);
    t.same(
      inventory.checks.map((check) => check.uses.map((use) => use.name)),
      [['a', 'b'], ['c'], ['d'], ['e']],
    );
  },
);

t.test(
  'bare Pods, a finished Pod, Jobs with and without a CronJob, a deleting object, kinds without pod specs',
  async (t) => {
    const pod = (name: string, phase: string): WorkloadObject => ({
      group: '',
      kind: 'Pod',
      object: { metadata: { name, namespace: 'ops' }, spec: podSpec(`tools/${name}:1`), status: { phase } },
    });
    const job = (name: string, owners: unknown): WorkloadObject => ({
      group: 'batch',
      kind: 'Job',
      object: {
        metadata: { name, namespace: 'ops', ownerReferences: owners },
        spec: { template: { spec: podSpec(`jobs/${name}:1`) } },
      },
    });
    const inventory = buildInventory(BUILT_IN_WORKLOADS, [
      pod('debug', 'Running'),
      pod('done', 'Succeeded'),
      job('migrate', undefined),
      job('nightly-29000', [{ kind: 'CronJob', name: 'nightly', controller: true }]),
      job('custom', [{ kind: 'Workflow', name: 'wf', controller: true }]),
      { group: '', kind: 'Service', object: { metadata: { name: 'web' } } },
      { ...deployment('old', 'x:1'), object: { metadata: { name: 'old', deletionTimestamp: '2026-01-01T00:00:00Z' } } },
    ]);
    t.same(
      inventory.checks.map((check) => check.canonical),
      ['docker.io/tools/debug:1', 'docker.io/jobs/migrate:1', 'docker.io/jobs/custom:1'],
    );
    t.same(inventory.skipped, { ownedByController: 1, finished: 1, deleting: 1, notAWorkload: 1 });
  },
);

t.test('custom resources are read through the catalog', async (t) => {
  const rollout: WorkloadObject = {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Rollout',
    object: {
      metadata: { name: 'canary', namespace: 'shop' },
      spec: { template: { spec: podSpec('registry.example.com/shop/canary:3') } },
    },
  };
  const inventory = buildInventory(BUILT_IN_WORKLOADS, [rollout]);
  t.same(
    inventory.checks.map((check) => [check.canonical, check.uses[0]?.kind, check.uses[0]?.path]),
    [['registry.example.com/shop/canary:3', 'Rollout', 'spec.template.spec.containers[0].image']],
  );
});

t.test('an image that does not parse is a check with its reason; a malformed object is a problem', async (t) => {
  const inventory = buildInventory(BUILT_IN_WORKLOADS, [
    deployment('bad', 'Shop/Web:1'),
    {
      group: 'apps',
      kind: 'Deployment',
      object: { metadata: { name: 'broken', namespace: 'shop' }, spec: { template: { spec: { containers: 'x' } } } },
    },
    { group: 'apps', kind: 'Deployment', object: 'not an object' },
  ]);
  t.equal(inventory.checks.length, 1);
  t.equal(inventory.checks[0]?.canonical, undefined);
  t.match(inventory.checks[0]?.invalidReason, /repository name \(Web\) must be lowercase/);
  t.same(
    inventory.problems.map((p) => p.workload.name),
    ['broken', '<unnamed>'],
  );
  t.match(inventory.problems[0]?.problem, /spec\.template\.spec\.containers/);
});

t.test('bounded: the caps on objects, uses and problems are said when reached', async (t) => {
  const many = Array.from({ length: 5 }, (_, i) => deployment(`d${i}`, `img${i}:1`));
  const byObjects = buildInventory(BUILT_IN_WORKLOADS, many, { maxObjects: 3, maxUses: 100 });
  t.equal(byObjects.checks.length, 3);
  t.same(byObjects.capped, { objects: true, uses: false });
  const byUses = buildInventory(BUILT_IN_WORKLOADS, many, { maxObjects: 100, maxUses: 2 });
  t.equal(byUses.checks.length, 2);
  t.same(byUses.capped, { objects: false, uses: true });
  const exact = buildInventory(BUILT_IN_WORKLOADS, many, { maxObjects: 5, maxUses: 5 });
  t.equal(exact.capped, undefined, 'exactly at the caps is not past them');
  const broken = Array.from({ length: MAX_PROBLEMS + 3 }, () => ({ group: 'apps', kind: 'Deployment', object: 1 }));
  const problems = buildInventory(BUILT_IN_WORKLOADS, broken);
  t.equal(problems.problems.length, MAX_PROBLEMS);
  t.equal(problems.moreProblems, 3);
});
