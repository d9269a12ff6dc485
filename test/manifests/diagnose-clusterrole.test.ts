/**
 * The optional manifests/diagnose/clusterrole.yaml: a read-only ClusterRole for `pullguard diagnose` (get and list
 * only; Secrets and ServiceAccounts `get` by name only, docs/design.md §1.4), valid against the Kubernetes schema,
 * and its commented example binding names it.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from './render-manifests.js';
import { validateAgainstSchema } from './schema-validate.js';
import { MODEL_OF_KIND, unknownFields } from './strict-fields.js';

const FILE = new URL('../../manifests/diagnose/clusterrole.yaml', import.meta.url);
const text = readFileSync(FILE, 'utf8');

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

function parse(yamlText: string): K8sObject[] {
  return parseAllDocuments(yamlText).map((doc) => {
    if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('; '));
    return doc.toJS() as K8sObject;
  });
}

/** Every (apiGroup, resource) → its verbs, merged over the rules. */
function grants(rules: readonly PolicyRule[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const rule of rules)
    for (const group of rule.apiGroups ?? [])
      for (const resource of rule.resources ?? []) {
        const key = `${group === '' ? 'core' : group}/${resource}`;
        const verbs = out.get(key) ?? new Set<string>();
        for (const verb of rule.verbs) verbs.add(verb);
        out.set(key, verbs);
      }
  return out;
}

/** What a role may do, as sorted `group/resource: verbs` lines. */
function describe(rules: readonly PolicyRule[]): string[] {
  return [...grants(rules)].map(([key, verbs]) => `${key}: ${[...verbs].sort().join(',')}`).sort();
}

/** Problems with a role's rules: anything but get/list, Secrets beyond get, wildcards, non-resource URLs. */
function problems(rules: readonly PolicyRule[]): string[] {
  const found: string[] = [];
  for (const rule of rules) {
    for (const field of [rule.apiGroups, rule.resources, rule.verbs])
      if ((field ?? []).includes('*')) found.push(`wildcard in ${JSON.stringify(rule)}`);
    for (const verb of rule.verbs) if (verb !== 'get' && verb !== 'list') found.push(`verb ${verb}`);
    if (rule.nonResourceURLs !== undefined) found.push('nonResourceURLs');
  }
  for (const [key, verbs] of grants(rules))
    if ((key === 'core/secrets' || key === 'core/serviceaccounts') && [...verbs].some((v) => v !== 'get'))
      found.push(`${key} beyond get`);
  return found;
}

const docs = parse(text);
const role = docs[0] as K8sObject;
const rules = role.rules as PolicyRule[];

t.test('one ClusterRole, pullguard-diagnose, valid and without unknown fields', async (t) => {
  t.equal(docs.length, 1, 'the binding is an example in comments, not applied with the role');
  t.equal(role.kind, 'ClusterRole');
  t.equal(role.metadata.name, 'pullguard-diagnose');
  t.equal(role.metadata.namespace, undefined, 'cluster-scoped');
  t.doesNotThrow(() => validateAgainstSchema(role));
  t.same(unknownFields(role, MODEL_OF_KIND.ClusterRole ?? ''), []);
});

t.test('read-only: get and list, Secrets and ServiceAccounts get only', async (t) => {
  t.same(problems(rules), []);
  t.same(describe(rules), [
    'apps/daemonsets: get,list',
    'apps/deployments: get,list',
    'apps/replicasets: get,list',
    'apps/statefulsets: get,list',
    'batch/cronjobs: get,list',
    'batch/jobs: get,list',
    'core/events: get,list',
    'core/nodes: get,list',
    'core/pods: get,list',
    'core/secrets: get',
    'core/serviceaccounts: get',
    'events.k8s.io/events: get,list',
  ]);
});

t.test('the checks can fail', async (t) => {
  t.same(problems([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]), ['core/secrets beyond get']);
  t.same(problems([{ apiGroups: [''], resources: ['pods'], verbs: ['watch'] }]), ['verb watch']);
  t.equal(problems([{ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }]).length, 1);
  t.same(problems([{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['list'] }]), [
    'core/serviceaccounts beyond get',
  ]);
  t.throws(() => validateAgainstSchema({ ...role, rules: [{ apiGroups: [''] }] }), 'a rule without verbs');
});

t.test('the commented example binding, uncommented, binds the role to a group or user', async (t) => {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('# Example binding'));
  t.ok(start > 0, 'the example is there');
  const example = lines
    .slice(start + 1)
    .filter((line) => line.startsWith('#'))
    .map((line) => line.replace(/^# ?/, ''))
    .join('\n');
  const [binding] = parse(example).filter((doc) => doc !== null);
  t.ok(binding, 'it parses');
  if (!binding) return;
  t.equal(binding.kind, 'ClusterRoleBinding');
  t.doesNotThrow(() => validateAgainstSchema(binding));
  t.same(unknownFields(binding, MODEL_OF_KIND.ClusterRoleBinding ?? ''), []);
  t.same(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'pullguard-diagnose' });
  const subjects = binding.subjects as { kind: string }[];
  t.ok(subjects.length > 0 && subjects.every((s) => s.kind === 'Group' || s.kind === 'User'), 'people, not pods');
});
