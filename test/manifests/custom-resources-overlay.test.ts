/**
 * The opt-in overlay manifests/overlays/custom-resources: the base's webhook plus rules for the custom resources
 * that embed pod specs or containers (docs/design.md §1.1); nothing else changes.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { at, kustomize, single } from './render-manifests.js';
import { validateAgainstSchema } from './schema-validate.js';
import { CUSTOM_WORKLOAD_KINDS } from '../../src/workload/custom-workloads.js';

const MANIFESTS = fileURLToPath(new URL('../../manifests/', import.meta.url));

interface Rule {
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  operations: string[];
  scope?: string;
}

// The cluster-scoped kinds among the table's (each project's CRD says `scope: Cluster`), by group/resource.
const CLUSTER_SCOPED = new Set([
  'argoproj.io/clusterworkflowtemplates',
  'argoproj.io/clusteranalysistemplates',
  'tekton.dev/clustertasks',
  'serving.kserve.io/clusterservingruntimes',
  'serving.kserve.io/clusterstoragecontainers',
  'trainer.kubeflow.org/clustertrainingruntimes',
  'apps.kruise.io/sidecarsets',
]);

/** The table's groups in first-seen order, each with its resources in table order: what the overlay must list. */
function tableGroups(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const { group, resource } of CUSTOM_WORKLOAD_KINDS) groups.set(group, [...(groups.get(group) ?? []), resource]);
  return groups;
}

const rulesOf = (objects: Awaited<ReturnType<typeof kustomize>>): Rule[] =>
  at(single(objects, 'ValidatingWebhookConfiguration', 'pullguard'), ['webhooks', 0, 'rules']) as Rule[];

t.test('the overlay appends one rule per custom-resource group to the base webhook', async (t) => {
  const objects = await kustomize(join(MANIFESTS, 'overlays', 'custom-resources'));
  const base = await kustomize(MANIFESTS);
  const baseRules = rulesOf(base);
  const rules = rulesOf(objects);
  t.same(rules.slice(0, baseRules.length), baseRules, 'the built-in rules are kept, first');
  const added = rules.slice(baseRules.length);
  const expected = tableGroups();
  t.same(
    added.map((r) => r.apiGroups),
    [...expected.keys()].map((group) => [group]),
    'one rule per group of the custom-resource table, in table order',
  );
  for (const rule of added) {
    const group = rule.apiGroups[0] ?? '';
    t.same(rule.resources, expected.get(group), `${group}: exactly the table's resources`);
    t.same(rule.operations, ['CREATE', 'UPDATE'], `${group}: never DELETE or CONNECT`);
    t.same(rule.apiVersions, ['*'], `${group}: every served version`);
    const clusterScoped = rule.resources.some((resource) => CLUSTER_SCOPED.has(`${group}/${resource}`));
    t.equal(rule.scope, clusterScoped ? '*' : 'Namespaced', `${group} scope`);
  }
  for (const key of CLUSTER_SCOPED)
    t.ok(
      CUSTOM_WORKLOAD_KINDS.some((k) => `${k.group}/${k.resource}` === key),
      key,
    );
  const webhook = single(objects, 'ValidatingWebhookConfiguration', 'pullguard');
  t.doesNotThrow(() => validateAgainstSchema(webhook), 'a valid ValidatingWebhookConfiguration');
  t.equal(at(webhook, ['webhooks', 0, 'failurePolicy']), 'Ignore', 'still fails open');
  t.equal((at(webhook, ['webhooks']) as unknown[]).length, 1, 'still one webhook');
});

t.test('every other object is the base unchanged', async (t) => {
  const objects = await kustomize(join(MANIFESTS, 'overlays', 'custom-resources'));
  const base = await kustomize(MANIFESTS);
  const others = (list: typeof base) => list.filter((o) => o.kind !== 'ValidatingWebhookConfiguration');
  t.same(others(objects), others(base));
  const { webhooks: _overlayHooks, ...overlayRest } = single(objects, 'ValidatingWebhookConfiguration');
  const { webhooks: _baseHooks, ...baseRest } = single(base, 'ValidatingWebhookConfiguration');
  t.same(overlayRest, baseRest, 'the webhook configuration differs only in its rules');
});
