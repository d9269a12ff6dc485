/**
 * A review of an object with several pod spec views (a custom resource, docs/design.md §1.6): one decision over all
 * findings, one report per checked use in view order, the namespace's mode read once.
 */
import t from 'tap';
import { buildConfig, type Config } from '../config/load-config.js';
import { canonicalReference } from '../image/reference.js';
import type { Resolution } from '../resolution/resolution.js';
import type { NamespaceModePort, PullCredentialsPort } from './ports.js';
import { createReviewer, type ReviewInput, type ReviewOutcome } from './review-object.js';

const built = buildConfig({
  workloads: [{ group: 'example.com', kind: 'Pair', podSpecs: ['spec.jobs[*].pod'], containers: ['spec.steps[*]'] }],
});
if (!built.ok) throw new Error(built.problems.join('; '));
const CONFIG: Config = built.config;
const PAIR = { group: 'example.com', version: 'v1', kind: 'Pair' };
const WORKFLOW = { group: 'argoproj.io', version: 'v1alpha1', kind: 'Workflow' };

/** Two pod specs (each with its own pull secret) and one bare step. */
const pair = (jobImages: string[], stepImage: string) => ({
  metadata: { name: 'p' },
  spec: {
    jobs: jobImages.map((image, i) => ({
      pod: { imagePullSecrets: [{ name: `s${i}` }], containers: [{ name: 'main', image }] },
    })),
    steps: [{ name: 'step', image: stepImage }],
  },
});

function reviewer(answers: Record<string, Resolution>, namespaceMode?: NamespaceModePort) {
  const secretsAsked: string[][] = [];
  const pullCredentials: PullCredentialsPort = async ({ imagePullSecrets }) => {
    secretsAsked.push([...imagePullSecrets]);
    return { credentialsFor: () => [], problems: [], uncertain: false };
  };
  const resolve = async (reference: string): Promise<Resolution> =>
    answers[reference] ?? { outcome: 'found', digest: 'sha256:x' };
  const r = createReviewer({
    config: CONFIG,
    resolver: { resolve: ({ reference }) => resolve(canonicalReference(reference)) },
    pullCredentials,
    ...(namespaceMode ? { namespaceMode } : {}),
  });
  return { r, secretsAsked };
}

const input = (kind: ReviewInput['kind'], object: unknown, extra: Partial<ReviewInput> = {}): ReviewInput => ({
  kind,
  operation: 'CREATE',
  namespace: 'shop',
  object,
  signal: AbortSignal.timeout(5000),
  ...extra,
});
const reviewed = (outcome: ReviewOutcome) => {
  if (outcome.status !== 'reviewed') throw new Error(`expected a review, got ${outcome.status}`);
  return outcome;
};

t.test('every view is checked with its own pull secrets; one decision and one report list', async (t) => {
  const { r, secretsAsked } = reviewer({ 'example.com/b:1': { outcome: 'not-found', missing: 'tag' } });
  const outcome = reviewed(await r.review(input(PAIR, pair(['example.com/a:1', 'example.com/b:1'], 'Bad:1'))));
  t.same(secretsAsked.sort(), [['s0'], ['s1']], "each pod spec's own secrets; the step's view needs no registry");
  t.equal(outcome.checkedUses, 3);
  t.equal(outcome.objectLabel, 'Pair shop/p');
  t.same(
    outcome.uses.map((report) => [report.use.path, report.resolution?.outcome ?? report.skipped]),
    [
      ['spec.jobs[0].pod.containers[0].image', 'found'],
      ['spec.jobs[1].pod.containers[0].image', 'not-found'],
      ['spec.steps[0].image', 'invalid'],
    ],
  );
  t.equal(outcome.decision.verdict, 'deny');
  t.same(
    outcome.decision.findings.map((finding) => [finding.class, finding.use?.path]),
    [
      ['notFound', 'spec.jobs[1].pod.containers[0].image'],
      ['invalidReference', 'spec.steps[0].image'],
    ],
  );
});

t.test("the namespace's mode is read once per review, whatever the number of views", async (t) => {
  let reads = 0;
  const namespaceMode: NamespaceModePort = async () => {
    reads += 1;
    return 'warn';
  };
  const { r } = reviewer({ 'example.com/b:1': { outcome: 'not-found', missing: 'tag' } }, namespaceMode);
  const outcome = reviewed(
    await r.review(input(PAIR, pair(['example.com/a:1', 'example.com/b:1', 'example.com/c:1'], 'example.com/b:1'))),
  );
  t.equal(reads, 1);
  t.equal(outcome.decision.verdict, 'warn', 'the mode applies to the findings of every view');
  t.equal(outcome.decision.findings.length, 2);
});

t.test('a built-in custom row: an UPDATE checks only the changed template', async (t) => {
  const workflow = (tags: string[]) => ({
    metadata: { name: 'wf' },
    spec: { templates: tags.map((tag, i) => ({ name: `t${i}`, container: { image: `example.com/t:${tag}` } })) },
  });
  const { r } = reviewer({ 'example.com/t:0': { outcome: 'not-found', missing: 'tag' } });
  const update = reviewed(
    await r.review(input(WORKFLOW, workflow(['0', '2']), { operation: 'UPDATE', oldObject: workflow(['0', '1']) })),
  );
  t.equal(update.checkedUses, 1);
  t.same(
    update.uses.map((report) => report.use.path),
    ['spec.templates[1].container.image'],
  );
  t.equal(update.decision.verdict, 'allow', 'the unchanged missing tag is not re-checked');
  const create = reviewed(await r.review(input(WORKFLOW, workflow(['0', '2']))));
  t.equal(create.checkedUses, 2);
  t.equal(create.decision.verdict, 'deny');
});

t.test('a custom object with nothing to check is allowed without a registry; a bad one is invalid', async (t) => {
  const { r } = reviewer({});
  const empty = reviewed(await r.review(input(PAIR, { spec: { jobs: [] } })));
  t.equal(empty.checkedUses, 0);
  t.equal(empty.decision.verdict, 'allow');
  t.match(await r.review(input(WORKFLOW, { spec: { templates: 'x' } })), {
    status: 'invalid',
    problem: /spec\.templates/,
  });
  t.match(await r.review(input({ ...PAIR, group: 'other.example.com' }, pair(['a:1'], 'b:1'))), {
    status: 'skipped',
    reason: /kind Pair carries no pod spec/,
  });
});
