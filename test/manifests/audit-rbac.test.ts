/**
 * The audit's RBAC in manifests/base/rbac.yaml (docs/audit.md "RBAC"): the ClusterRole `pullguard-audit` grants
 * exactly list and watch on every workload kind the audit reads (the built-in kinds and every row of the custom
 * resource table, so the role cannot drift from src/workload/custom-workloads.ts) plus create and patch on core
 * Events, and nothing on Secrets; the Lease role is a namespaced Role in pullguard's namespace; both are bound to
 * pullguard's ServiceAccount, apart from the webhook's own ClusterRole.
 */
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { CUSTOM_WORKLOAD_KINDS } from '../../src/workload/custom-workloads.js';
import { WORKLOAD_KINDS } from '../../src/workload/pod-spec-paths.js';
import { at, kustomize, single, type K8sObject } from './render-manifests.js';

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const objects = await kustomize(fileURLToPath(new URL('../../manifests/', import.meta.url)));
const rulesOf = (role: K8sObject): PolicyRule[] => (at(role, ['rules']) as PolicyRule[] | undefined) ?? [];

/** Every `group/resource:verb` a set of rules grants ('core' for the core group), sorted, without repeats. */
function grants(rules: readonly PolicyRule[]): string[] {
  const out = new Set<string>();
  for (const rule of rules)
    for (const group of rule.apiGroups ?? [])
      for (const resource of rule.resources ?? [])
        for (const verb of rule.verbs ?? []) out.add(`${group === '' ? 'core' : group}/${resource}:${verb}`);
  return [...out].sort();
}

/** What a role must never hold: wildcards, names, non-resource URLs, anything on Secrets beyond `get`. */
function problems(rules: readonly PolicyRule[]): string[] {
  const found: string[] = [];
  for (const rule of rules) {
    for (const field of [rule.apiGroups, rule.resources, rule.verbs])
      if ((field ?? []).includes('*')) found.push(`wildcard in ${JSON.stringify(rule)}`);
    if (rule.nonResourceURLs !== undefined) found.push('nonResourceURLs');
    if (rule.resourceNames !== undefined) found.push(`resourceNames in ${JSON.stringify(rule)}`);
  }
  for (const grant of grants(rules)) if (/^core\/secrets:(?!get$)/.test(grant)) found.push(grant);
  return found;
}

/**
 * The workload kinds the audit lists and watches: the built-in kinds of the webhook's table but PodTemplate (nobody
 * pulls from a template), and every custom resource row, as src/kube/workload-resources.ts lists them.
 */
const BUILT_IN = WORKLOAD_KINDS.filter((k) => k.kind !== 'PodTemplate').map(
  (k) => `${k.group === '' ? 'core' : k.group}/${k.resource}`,
);
const WORKLOADS = [...BUILT_IN, ...CUSTOM_WORKLOAD_KINDS.map((k) => `${k.group}/${k.resource}`)];
const EXPECTED = [
  ...WORKLOADS.flatMap((w) => [`${w}:list`, `${w}:watch`]),
  'core/events:create',
  'core/events:get',
  'core/events:patch',
];

const SERVICE_ACCOUNT = [{ kind: 'ServiceAccount', name: 'pullguard', namespace: 'pullguard' }];

t.test('the audit ClusterRole: list and watch on every workload kind, create, get and patch on events', async (t) => {
  const role = single(objects, 'ClusterRole', 'pullguard-audit');
  t.equal(role.metadata.namespace, undefined, 'cluster-wide: workloads live in every namespace');
  t.same(grants(rulesOf(role)), [...new Set(EXPECTED)].sort());
  t.same(problems(rulesOf(role)), []);
  t.notOk(
    grants(rulesOf(role)).some((g) => g.startsWith('core/secrets:')),
    'nothing on Secrets: pull secrets are read with the webhook role',
  );
  t.notOk(
    grants(rulesOf(role)).some((g) => g.startsWith('core/podtemplates:')),
    'PodTemplates are never pulled',
  );
  t.same(BUILT_IN.slice().sort(), [
    'apps/daemonsets',
    'apps/deployments',
    'apps/replicasets',
    'apps/statefulsets',
    'batch/cronjobs',
    'batch/jobs',
    'core/pods',
    'core/replicationcontrollers',
  ]);
  t.ok(WORKLOADS.length > BUILT_IN.length + 30, 'the custom resources are in');
});

t.test('the audit ClusterRole is bound to pullguard on its own, apart from the webhook role', async (t) => {
  const binding = single(objects, 'ClusterRoleBinding', 'pullguard-audit');
  t.same(at(binding, ['roleRef']), {
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'ClusterRole',
    name: 'pullguard-audit',
  });
  t.same(at(binding, ['subjects']), SERVICE_ACCOUNT);
  const webhook = grants(rulesOf(single(objects, 'ClusterRole', 'pullguard')));
  t.notOk(
    webhook.some((g) => EXPECTED.includes(g)),
    "the webhook role holds none of the audit's grants: deleting the audit binding turns the audit's access off",
  );
});

t.test('the Lease role is a namespaced Role in pullguard: get, create, update on leases', async (t) => {
  const role = single(objects, 'Role', 'pullguard-audit-lease');
  const deployment = single(objects, 'Deployment', 'pullguard');
  t.equal(role.metadata.namespace, 'pullguard');
  t.equal(role.metadata.namespace, deployment.metadata.namespace, "POD_NAMESPACE: the Lease is in the pod's");
  t.same(grants(rulesOf(role)), [
    'coordination.k8s.io/leases:create',
    'coordination.k8s.io/leases:get',
    'coordination.k8s.io/leases:update',
  ]);
  t.same(problems(rulesOf(role)), []);
  t.notOk(
    objects.some((o) => o.kind === 'ClusterRole' && grants(rulesOf(o)).some((g) => g.includes('/leases:'))),
    'no ClusterRole grants Leases',
  );
  const binding = single(objects, 'RoleBinding', 'pullguard-audit-lease');
  t.equal(binding.metadata.namespace, 'pullguard');
  t.same(at(binding, ['roleRef']), { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
  t.same(at(binding, ['subjects']), SERVICE_ACCOUNT);
});

t.test("across every role bound to pullguard's ServiceAccount, Secrets are get only", async (t) => {
  const roles = objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role');
  const all = grants(roles.flatMap(rulesOf));
  t.same(
    all.filter((g) => g.startsWith('core/secrets:')),
    ['core/secrets:get'],
  );
});

t.test('the checks can fail', async (t) => {
  t.same(problems([{ apiGroups: [''], resources: ['secrets'], verbs: ['list', 'watch'] }]), [
    'core/secrets:list',
    'core/secrets:watch',
  ]);
  t.equal(problems([{ apiGroups: ['apps'], resources: ['*'], verbs: ['list'] }]).length, 1);
  t.equal(
    problems([{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get'], resourceNames: ['x'] }])
      .length,
    1,
  );
  t.same(problems([{ verbs: ['get'], nonResourceURLs: ['/metrics'] }]), ['nonResourceURLs']);
  t.same(grants([{ apiGroups: ['', 'apps'], resources: ['pods'], verbs: ['list', 'list'] }]), [
    'apps/pods:list',
    'core/pods:list',
  ]);
  const rules = rulesOf(single(objects, 'ClusterRole', 'pullguard-audit'));
  t.notSame(grants(rules.slice(1)), [...new Set(EXPECTED)].sort(), 'a role short of one rule is caught');
});
