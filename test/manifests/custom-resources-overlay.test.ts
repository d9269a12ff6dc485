/**
 * The opt-in overlay manifests/overlays/custom-resources: the base's webhook plus rules for the custom resources
 * that embed pod specs or containers (docs/design.md §1.1); nothing else changes.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { at, kustomize, single } from './render-manifests.js';
import { validateAgainstSchema } from './schema-validate.js';

const MANIFESTS = fileURLToPath(new URL('../../manifests/', import.meta.url));

interface Rule {
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  operations: string[];
  scope?: string;
}

// Written out from each project's CRDs (group → plural resources), independently of the overlay under test.
const EXPECTED: Readonly<Record<string, readonly string[]>> = {
  'argoproj.io': ['rollouts', 'workflows', 'workflowtemplates', 'clusterworkflowtemplates', 'cronworkflows'],
  'tekton.dev': ['tasks', 'clustertasks', 'pipelines', 'taskruns', 'pipelineruns'],
  'serving.knative.dev': ['services', 'configurations', 'revisions'],
  'serving.kserve.io': ['inferenceservices'],
  'jobset.x-k8s.io': ['jobsets'],
  'leaderworkerset.x-k8s.io': ['leaderworkersets'],
  'ray.io': ['rayclusters', 'rayjobs', 'rayservices'],
  'kubeflow.org': ['pytorchjobs', 'tfjobs', 'mpijobs', 'xgboostjobs', 'paddlejobs', 'jaxjobs'],
  'apps.kruise.io': ['clonesets', 'statefulsets', 'daemonsets'],
};
const CLUSTER_SCOPED_GROUPS = new Set(['argoproj.io', 'tekton.dev']);

const rulesOf = (objects: Awaited<ReturnType<typeof kustomize>>): Rule[] =>
  at(single(objects, 'ValidatingWebhookConfiguration', 'pullguard'), ['webhooks', 0, 'rules']) as Rule[];

t.test('the overlay appends one rule per custom-resource group to the base webhook', async (t) => {
  const objects = await kustomize(join(MANIFESTS, 'overlays', 'custom-resources'));
  const base = await kustomize(MANIFESTS);
  const baseRules = rulesOf(base);
  const rules = rulesOf(objects);
  t.same(rules.slice(0, baseRules.length), baseRules, 'the built-in rules are kept, first');
  const added = rules.slice(baseRules.length);
  t.same(
    added.map((r) => r.apiGroups),
    Object.keys(EXPECTED).map((group) => [group]),
    'one rule per group, in order',
  );
  for (const rule of added) {
    const group = rule.apiGroups[0] ?? '';
    t.same(rule.resources, EXPECTED[group], `${group} resources`);
    t.same(rule.operations, ['CREATE', 'UPDATE'], `${group}: never DELETE or CONNECT`);
    t.same(rule.apiVersions, ['*'], `${group}: every served version`);
    t.equal(rule.scope, CLUSTER_SCOPED_GROUPS.has(group) ? '*' : 'Namespaced', `${group} scope`);
  }
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
