import t from 'tap';
import { canonicalReference } from '../image/reference.js';
import { exemptMatcher, staticCheck } from '../policy/static-findings.js';
import type { ImageResolver } from '../resolution/image-resolver.js';
import type { Resolution } from '../resolution/resolution.js';
import { parseFieldPath } from '../runtime/field-path.js';
import type { PathPattern } from '../workload/custom-workload-kind.js';
import type { PodSpecView } from '../workload/extract-pod-spec.js';
import { BUILT_IN_WORKLOADS, workloadCatalog, type WorkloadCatalog } from '../workload/workload-catalog.js';
import { extractStage, type ExtractInput } from './extract-stage.js';
import type { PullCredentialsPort } from './ports.js';
import {
  allFindings,
  needsRegistry,
  resolveViews,
  staticChecks,
  useReports,
  type ViewChecked,
} from './review-views.js';

const path = (text: string): PathPattern => {
  const parsed = parseFieldPath(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.segments;
};
/** A kind with two pod specs, each with its own pull secret and node selector. */
const PAIR = workloadCatalog([
  { group: 'example.com', kind: 'Pair', podSpecs: [path('spec.jobs[*].pod')], containers: [], initContainers: [] },
]);
const pair = (images: string[]) => ({
  spec: {
    jobs: images.map((image, i) => ({
      pod: {
        imagePullSecrets: [{ name: `secret-${i}` }],
        serviceAccountName: `sa-${i}`,
        nodeSelector: { 'kubernetes.io/arch': i === 0 ? 'amd64' : 'arm64' },
        containers: [{ name: 'main', image }],
      },
    })),
  },
});
const pipelineRun = (images: string[]) => ({
  spec: {
    taskRunTemplate: { podTemplate: { imagePullSecrets: [{ name: 'gone' }], serviceAccountName: 'runner' } },
    pipelineSpec: { tasks: [{ name: 'build', taskSpec: { steps: images.map((image) => ({ image })) } }] },
  },
});

function checked(catalog: WorkloadCatalog, kind: ExtractInput['kind'], object: unknown): ViewChecked[] {
  const extracted = extractStage(catalog, { kind, operation: 'CREATE', namespace: 'shop', object });
  if (extracted.status !== 'extracted') throw new Error(`expected an extraction, got ${extracted.status}`);
  return staticChecks(extracted.views, (use) => staticCheck(use, exemptMatcher([])), undefined);
}

const resolverOf = (answers: Record<string, Resolution>): ImageResolver => ({
  resolve: async ({ reference }) => answers[canonicalReference(reference)] ?? { outcome: 'found', digest: 'sha256:x' },
});
const CONTEXT = { namespace: 'shop', nodeCredentials: () => false };

t.test('each view resolves with its own pull secrets, service account and platforms, concurrently', async (t) => {
  const views = checked(PAIR, { group: 'example.com', kind: 'Pair' }, pair(['example.com/a:1', 'example.com/b:1']));
  t.same(
    views.map(({ view, uses }) => [view.podSpecPath, uses.map((use) => use.path)]),
    [
      ['spec.jobs[0].pod', ['spec.jobs[0].pod.containers[0].image']],
      ['spec.jobs[1].pod', ['spec.jobs[1].pod.containers[0].image']],
    ],
  );
  const asked: string[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const pullCredentials: PullCredentialsPort = async (options) => {
    asked.push(`${options.serviceAccountName} ${options.imagePullSecrets.join(',')}`);
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 10));
    inFlight -= 1;
    return { credentialsFor: () => [], problems: [], uncertain: false };
  };
  const placed: string[] = [];
  const platforms = (view: PodSpecView) => {
    placed.push(view.nodeSelector['kubernetes.io/arch'] ?? '');
    return undefined;
  };
  const resolver = resolverOf({ 'example.com/b:1': { outcome: 'not-found', missing: 'tag' } });
  const deps = { resolver, pullCredentials, platforms, now: Date.now };
  const resolved = await resolveViews(deps, views, 'shop', AbortSignal.timeout(5000));
  t.same(asked.sort(), ['sa-0 secret-0', 'sa-1 secret-1']);
  t.same(placed.sort(), ['amd64', 'arm64']);
  t.equal(mostInFlight, 2, 'the views are resolved at once');
  const findings = allFindings(views, resolved, CONTEXT);
  t.same(
    findings.map((finding) => [finding.class, finding.use?.path]),
    [['notFound', 'spec.jobs[1].pod.containers[0].image']],
  );
  t.same(
    useReports(views, resolved, false).map((report) => [report.use.path, report.resolution?.outcome]),
    [
      ['spec.jobs[0].pod.containers[0].image', 'found'],
      ['spec.jobs[1].pod.containers[0].image', 'not-found'],
    ],
  );
});

t.test("credential findings name the view's pod-level fields, not spec.template.spec", async (t) => {
  const views = checked(BUILT_IN_WORKLOADS, { group: 'tekton.dev', kind: 'PipelineRun' }, pipelineRun(['r.io/a:1']));
  const pullCredentials: PullCredentialsPort = async () => ({
    credentialsFor: () => [],
    problems: [{ kind: 'missingPullSecret', secret: 'shop/gone', why: 'not-found' }],
    uncertain: false,
  });
  const resolver = resolverOf({ 'r.io/a:1': { outcome: 'unauthorized', reason: 'anonymous-refused' } });
  const resolved = await resolveViews(
    { resolver, pullCredentials, now: Date.now },
    views,
    'shop',
    AbortSignal.timeout(5000),
  );
  const findings = allFindings(views, resolved, CONTEXT);
  t.match(findings, [
    { class: 'missingPullSecret', path: 'spec.taskRunTemplate.podTemplate.imagePullSecrets[0]' },
    { use: { path: 'spec.pipelineSpec.tasks[0].taskSpec.steps[0].image' } },
  ]);
  t.match(
    findings[1]?.fix,
    /list it under spec\.taskRunTemplate\.podTemplate\.imagePullSecrets or on service account "runner"/,
  );
});

t.test('offline: nothing for the registry is resolved, every use is reported offline', async (t) => {
  const views = checked(PAIR, { group: 'example.com', kind: 'Pair' }, pair(['example.com/a:1', 'Bad:1']));
  t.equal(needsRegistry(views), true);
  t.same(
    useReports(views, undefined, true).map((report) => report.skipped),
    ['offline', 'invalid'],
  );
  t.same(
    allFindings(views, undefined, CONTEXT).map((finding) => [finding.class, finding.use?.path]),
    [['invalidReference', 'spec.jobs[1].pod.containers[0].image']],
  );
  const onlyInvalid = checked(PAIR, { group: 'example.com', kind: 'Pair' }, pair(['Bad:1']));
  t.equal(needsRegistry(onlyInvalid), false, 'an invalid reference needs no registry');
  const resolved = await resolveViews(
    { resolver: resolverOf({}), now: Date.now },
    onlyInvalid,
    'shop',
    AbortSignal.timeout(5000),
  );
  t.same(resolved, [undefined], 'a view without images for the registry is not resolved');
});

t.test('an object with many pod specs has a bounded number of views in flight, and every view resolved', async (t) => {
  const images = Array.from({ length: 40 }, (_, i) => `example.com/img${i}:1`);
  const views = checked(PAIR, { group: 'example.com', kind: 'Pair' }, pair(images));
  let inFlight = 0;
  let mostInFlight = 0;
  const pullCredentials: PullCredentialsPort = async () => {
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 2));
    inFlight -= 1;
    return { credentialsFor: () => [], problems: [], uncertain: false };
  };
  const deps = { resolver: resolverOf({}), pullCredentials, now: Date.now };
  const resolved = await resolveViews(deps, views, 'shop', AbortSignal.timeout(5000));
  t.equal(resolved.length, 40);
  t.ok(
    resolved.every((entry) => entry?.resolutions.size === 1),
    'every view got its answer',
  );
  t.ok(mostInFlight > 1 && mostInFlight <= 8, `at most 8 views at once (${mostInFlight})`);
});
