import t from 'tap';
import { parseFieldPath } from '../runtime/field-path.js';
import type { PathPattern } from '../workload/custom-workload-kind.js';
import { BUILT_IN_WORKLOADS, workloadCatalog } from '../workload/workload-catalog.js';
import { extractStage, usesToCheck, type Extracted, type ExtractInput } from './extract-stage.js';

const DEPLOYMENT = { group: 'apps', kind: 'Deployment' };
const WORKFLOW = { group: 'argoproj.io', kind: 'Workflow' };
const deployment = (images: string[], metadata: object = { name: 'web' }) => ({
  metadata,
  spec: { template: { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } },
});
const workflow = (images: string[]) => ({
  metadata: { name: 'wf' },
  spec: {
    imagePullSecrets: [{ name: 'argo-pull' }],
    templates: images.map((image, i) => ({ name: `t${i}`, container: { image } })),
  },
});
const input = (overrides: Partial<ExtractInput> = {}): ExtractInput => ({
  kind: DEPLOYMENT,
  operation: 'CREATE',
  namespace: 'shop',
  object: deployment(['example.com/app:1']),
  ...overrides,
});
const extract = (overrides: Partial<ExtractInput> = {}): Extracted =>
  extractStage(BUILT_IN_WORKLOADS, input(overrides));
const paths = (extracted: Extracted): string[] =>
  extracted.status === 'extracted' ? usesToCheck(extracted).map((use) => use.path) : [`<${extracted.status}>`];
const path = (text: string): PathPattern => {
  const parsed = parseFieldPath(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.segments;
};

t.test('a kind without a pod spec, or a request that needs no check, is skipped with its reason', async (t) => {
  t.same(extract({ kind: { group: '', kind: 'ConfigMap' } }), {
    status: 'skipped',
    reason: 'kind ConfigMap carries no pod spec pullguard checks',
  });
  t.same(extract({ kind: { group: 'serving.knative.dev', version: 'v1alpha1', kind: 'Service' } }), {
    status: 'skipped',
    reason: 'Service serving.knative.dev/v1alpha1 is an older schema pullguard does not read',
  });
  t.same(extract({ operation: 'DELETE' }), { status: 'skipped', reason: 'operation DELETE is not checked' });
  t.same(extract({ subResource: 'scale' }), { status: 'skipped', reason: 'subresource scale is not checked' });
  t.same(extract({ kind: WORKFLOW, subResource: 'status', object: workflow(['a:1']) }), {
    status: 'skipped',
    reason: 'subresource status is not checked',
  });
});

t.test('an object pullguard cannot read is invalid, with the problem', async (t) => {
  t.match(extract({ object: 'not an object' }), { status: 'invalid', problem: /must be an object/ });
  t.match(extract({ kind: WORKFLOW, object: { spec: { templates: 'x' } } }), {
    status: 'invalid',
    problem: /spec\.templates/,
  });
});

t.test('a checked object yields its pod spec, the uses to check, the namespace and a label for messages', async (t) => {
  const extracted = extract({ object: deployment(['example.com/a:1', 'example.com/b:1']) });
  if (extracted.status !== 'extracted') throw new Error(`expected an extraction, got ${extracted.status}`);
  t.same(
    usesToCheck(extracted).map((use) => use.image),
    ['example.com/a:1', 'example.com/b:1'],
  );
  t.equal(extracted.views.length, 1);
  t.equal(extracted.views[0]?.view.podSpecPath, 'spec.template.spec');
  t.equal(extracted.namespace, 'shop');
  t.equal(extracted.objectLabel, 'Deployment shop/web');
});

t.test("the namespace falls back to the object's, then to default; the name to generateName", async (t) => {
  const fromObject = extract({
    namespace: '',
    object: deployment(['example.com/a:1'], { generateName: 'web-', namespace: 'team' }),
  });
  t.match(fromObject, { status: 'extracted', namespace: 'team', objectLabel: 'Deployment team/web-' });
  t.match(extract({ namespace: '', object: deployment(['example.com/a:1'], {}) }), {
    status: 'extracted',
    namespace: 'default',
    objectLabel: 'Deployment default/<unnamed>',
  });
});

t.test('on UPDATE only new or changed image uses are checked', async (t) => {
  const extracted = extract({
    operation: 'UPDATE',
    object: deployment(['example.com/a:2', 'example.com/b:1']),
    oldObject: deployment(['example.com/a:1', 'example.com/b:1']),
  });
  t.same(paths(extracted), ['spec.template.spec.containers[0].image']);
});

t.test('a custom resource: one view per pod spec and one for its bare containers, with full field paths', async (t) => {
  const extracted = extract({ kind: WORKFLOW, object: workflow(['example.com/a:1', 'example.com/b']) });
  if (extracted.status !== 'extracted') throw new Error(`expected an extraction, got ${extracted.status}`);
  t.equal(extracted.objectLabel, 'Workflow shop/wf');
  t.same(paths(extracted), ['spec.templates[0].container.image', 'spec.templates[1].container.image']);
  t.same(
    extracted.views.map(({ view }) => [view.podSpecPath, view.imagePullSecrets]),
    [['spec', ['argo-pull']]],
    "the bare containers' view carries the WorkflowSpec's pod-level fields",
  );
  const job = {
    spec: {
      replicatedJobs: ['x:1', 'y:1'].map((image) => ({
        template: { spec: { template: { spec: { containers: [{ name: 'main', image }] } } } },
      })),
    },
  };
  const jobSet = workloadCatalog([
    {
      group: 'jobset.x-k8s.io',
      kind: 'JobSet',
      podSpecs: [path('spec.replicatedJobs[*].template.spec.template.spec')],
      containers: [],
      initContainers: [],
    },
  ]);
  const views = extractStage(jobSet, input({ kind: { group: 'jobset.x-k8s.io', kind: 'JobSet' }, object: job }));
  if (views.status !== 'extracted') throw new Error(`expected an extraction, got ${views.status}`);
  t.same(
    views.views.map(({ view, uses }) => [view.podSpecPath, uses.map((use) => use.path)]),
    [
      [
        'spec.replicatedJobs[0].template.spec.template.spec',
        ['spec.replicatedJobs[0].template.spec.template.spec.containers[0].image'],
      ],
      [
        'spec.replicatedJobs[1].template.spec.template.spec',
        ['spec.replicatedJobs[1].template.spec.template.spec.containers[0].image'],
      ],
    ],
  );
});

t.test('on UPDATE of a custom resource only the changed template is checked, across all views', async (t) => {
  t.same(
    paths(
      extract({
        kind: WORKFLOW,
        operation: 'UPDATE',
        object: workflow(['example.com/a:1', 'example.com/b:2']),
        oldObject: workflow(['example.com/a:1', 'example.com/b:1']),
      }),
    ),
    ['spec.templates[1].container.image'],
  );
  t.same(
    paths(
      extract({
        kind: WORKFLOW,
        operation: 'UPDATE',
        object: workflow(['example.com/b:1', 'example.com/a:1']),
        oldObject: workflow(['example.com/a:1', 'example.com/b:1']),
      }),
    ),
    ['spec.templates[0].container.image', 'spec.templates[1].container.image'],
    'bare containers are identified by their path: swapped templates are both new',
  );
});

t.test('a kind given only by the workloads: config is checked by the catalog the stage is given', async (t) => {
  const widget = { group: 'example.com', kind: 'Widget' };
  const object = { metadata: { name: 'w' }, spec: { runners: [{ name: 'r', image: 'example.com/r:1' }] } };
  t.match(extract({ kind: widget, object }), { status: 'skipped', reason: /kind Widget carries no pod spec/ });
  const catalog = workloadCatalog([
    { ...widget, podSpecs: [], containers: [path('spec.runners[*]')], initContainers: [], podFields: path('spec.pod') },
  ]);
  const extracted = extractStage(catalog, input({ kind: widget, object }));
  t.same(paths(extracted), ['spec.runners[0].image']);
  t.match(extracted, {
    status: 'extracted',
    objectLabel: 'Widget shop/w',
    views: [{ view: { podSpecPath: 'spec.pod' } }],
  });
});

t.test('a custom kind named Pod gets no pod skip rules', async (t) => {
  const catalog = workloadCatalog([
    { group: 'example.com', kind: 'Pod', podSpecs: [path('spec')], containers: [], initContainers: [] },
  ]);
  const owned = {
    metadata: {
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'o', uid: 'u', controller: true }],
    },
    spec: { containers: [{ name: 'c', image: 'example.com/c:1' }] },
  };
  t.same(paths(extractStage(catalog, input({ kind: { group: 'example.com', kind: 'Pod' }, object: owned }))), [
    'spec.containers[0].image',
  ]);
  t.match(extractStage(catalog, input({ kind: { group: '', kind: 'Pod' }, object: owned })), {
    status: 'skipped',
    reason: /owned by ReplicaSet/,
  });
});
