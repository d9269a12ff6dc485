/**
 * `check` over a corpus of real manifests, published by the projects that issue 15 names and copied verbatim
 * (test/fixtures/corpus/README.md), agrees with an independent extractor (corpus-extractor.ts) on every image use:
 * file, image and field path, custom resources included. One run reads the whole corpus, templates and broken YAML
 * with it: those yield error records while every other file is still checked, and the exit code is 2.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import t, { type Test } from 'tap';
import { extractImages, type FoundImage } from './corpus-extractor.js';
import { parseAllRecords, type CheckRecordJson, type OutputRecordJson } from './record-schema.js';
import { runPullguard } from './run-binary.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CORPUS = join(ROOT, 'test', 'fixtures', 'corpus');

/** Helm chart templates: not YAML until rendered, so check reports each as a template to render first. */
const TEMPLATES = new Set([
  'argo-rollouts/examples_helm-blue-green_templates_rollout.yaml',
  'helm-examples/charts_hello-world_templates_deployment.yaml',
  'cert-manager/deploy_charts_cert-manager_templates_startupapicheck-job.yaml',
]);

/**
 * Where a generic walker must differ from check: objects that hold container images but whose kind is outside the
 * kinds issue 15 asks pullguard to know. check must not drop their images silently: it reports each such object
 * (a skip note or an error), and the extractor's images for them are not expected as checked uses.
 */
/**
 * Objects whose images check must not claim: each must be announced by a skip or an error record instead (never
 * dropped silently). A `rejects` entry is an object no server would admit, so check reports it as malformed.
 */
const NOT_CLAIMED: readonly { file: string; kind: string; apiVersion: string; rejects?: true; why: string }[] = [
  {
    file: 'argo-workflows/examples_scripts-python.yaml',
    kind: 'Workflow',
    apiVersion: 'argoproj.io/v1',
    rejects: true,
    why: 'steps written as a map where every Argo version has a list of lists of steps ([][]WorkflowStep)',
  },
  {
    file: 'knative-docs/docs_serving_samples_traffic-splitting_split_sample.yaml',
    kind: 'Service',
    apiVersion: 'serving.knative.dev/v1alpha1',
    why: 'the removed v1alpha1 `release.configuration.revisionTemplate.spec.container` schema, which no server accepts',
  },
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const FILES = filesUnder(CORPUS)
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => relative(CORPUS, file))
  .sort();

interface Expected {
  readonly uses: readonly FoundImage[];
  readonly unreadableDocuments: number;
  readonly notClaimed: readonly (typeof NOT_CLAIMED)[number][];
}

function expectationFor(file: string): Expected {
  const found = extractImages(readFileSync(join(CORPUS, file), 'utf8'));
  const notClaimed = NOT_CLAIMED.filter((n) => n.file === file);
  const claimed = (use: FoundImage) => !notClaimed.some((n) => n.kind === use.kind && n.apiVersion === use.apiVersion);
  return { uses: found.images.filter(claimed), unreadableDocuments: found.unreadableDocuments, notClaimed };
}

/** `image @ path`, one entry per use, sorted: equal lists mean equal multisets (two Jobs may share image and path). */
function useKeys(uses: readonly { image: string | null; path: string | null }[]): string[] {
  return uses.map((u) => `${u.image ?? '(none)'} @ ${u.path ?? '(pod)'}`).sort();
}

function minus(left: readonly string[], right: readonly string[]): string[] {
  const rest = [...right];
  return left.filter((key) => {
    const at = rest.indexOf(key);
    if (at === -1) return true;
    rest.splice(at, 1);
    return false;
  });
}

function recordsByFile(records: readonly OutputRecordJson[]): Map<string, OutputRecordJson[]> {
  const byFile = new Map<string, OutputRecordJson[]>();
  for (const record of records) {
    const file = relative(CORPUS, join(ROOT, record.file));
    byFile.set(file, [...(byFile.get(file) ?? []), record]);
  }
  return byFile;
}

async function checkJson(t: Test, inputs: readonly string[]) {
  const args = ['check', '--offline', '-o', 'json', ...inputs.flatMap((input) => ['-f', input])];
  const result = await runPullguard(args, { cwd: ROOT, timeoutMs: 120_000 });
  return { code: result.code, stderr: result.stderr, byFile: recordsByFile(parseAllRecords(t, result.stdout)) };
}

function compareFile(t: Test, file: string, records: readonly OutputRecordJson[]): void {
  const expected = expectationFor(file);
  const uses = records.filter((r): r is CheckRecordJson => r.record === 'use');
  const errors = records.filter((r) => r.record === 'error');
  const notes = records.filter((r) => r.record !== 'use' && r.record !== 'pod').map((r) => r.message);
  const found = useKeys(uses);
  const wanted = useKeys(expected.uses);
  t.same(minus(wanted, found), [], `${file}: every image the extractor found is a checked use`, { checkSaid: notes });
  t.same(minus(found, wanted), [], `${file}: check reports no use the extractor did not find`, { checkSaid: notes });
  if (TEMPLATES.has(file)) {
    t.ok(
      errors.length > 0 && errors.every((e) => e.message.includes('a template: render it first')),
      `${file}: template`,
    );
  } else if (expected.notClaimed.some((n) => n.rejects)) {
    t.ok(errors.length >= 1, `${file}: an error for the object no server would admit`, { checkSaid: notes });
  } else if (expected.unreadableDocuments > 0) {
    t.ok(errors.length >= 1, `${file}: an error for the document the YAML library cannot read`, { checkSaid: notes });
  } else {
    t.same(errors, [], `${file}: no error for a file whose every document is readable`);
  }
  for (const error of errors) {
    // A malformed object is named by the line it starts on; a document that does not parse, by line and column.
    const located = error.object !== null ? error.line !== null : error.line !== null && error.column !== null;
    t.ok(located, `${file}: the error names where it is`, { error });
  }
  for (const n of expected.notClaimed) {
    const announced = records.some(
      (r) =>
        (r.record === 'skip' || r.record === 'error') &&
        (r.object?.kind === n.kind || r.message.includes(`${n.kind} (${n.apiVersion})`)),
    );
    t.ok(announced, `${file}: ${n.kind} (${n.apiVersion}) is reported, not dropped silently: ${n.why}`, {
      checkSaid: notes,
    });
  }
}

t.test('the corpus is the one the README lists, and the extractor finds images in it', async (t) => {
  const readme = readFileSync(join(CORPUS, 'README.md'), 'utf8');
  const listed = [...readme.matchAll(/^\| `([^`]+\.yaml)` \|/gm)].map((m) => m[1]).sort();
  t.same(listed, FILES, 'README.md lists every corpus file, and no other');
  t.ok(FILES.length >= 40, `${FILES.length} files`);
  const total = FILES.reduce((sum, file) => sum + expectationFor(file).uses.length, 0);
  t.ok(total >= 80, `${total} image uses expected`);
  for (const n of NOT_CLAIMED) t.ok(FILES.includes(n.file), `${n.file} is in the corpus`);
  for (const file of TEMPLATES) t.ok(FILES.includes(file), `${file} is in the corpus`);
});

t.test('one run over the whole corpus: every image agrees, errors are reported per file, exit 2', async (t) => {
  const run = await checkJson(t, [relative(ROOT, CORPUS)]);
  t.equal(run.code, 2, 'templates and unreadable YAML are input errors');
  t.notMatch(run.stderr, /Warning:|\(node:\d+\)/, 'no raw library warning');
  for (const file of FILES) t.test(file, async (t) => compareFile(t, file, run.byFile.get(file) ?? []));
});

t.test('the readable files alone: the same records, and exit 0 or 1 by the verdicts', async (t) => {
  const readable = FILES.filter((file) => {
    const expected = expectationFor(file);
    return !TEMPLATES.has(file) && expected.unreadableDocuments === 0 && !expected.notClaimed.some((n) => n.rejects);
  });
  t.ok(readable.length < FILES.length && readable.length > 30, `${readable.length} of ${FILES.length} files`);
  const [whole, alone] = [
    await checkJson(t, [relative(ROOT, CORPUS)]),
    await checkJson(
      t,
      readable.map((file) => relative(ROOT, join(CORPUS, file))),
    ),
  ];
  for (const file of readable) {
    t.same(alone.byFile.get(file) ?? [], whole.byFile.get(file) ?? [], `${file}: errors elsewhere change nothing`);
  }
  const records = [...alone.byFile.values()].flat();
  t.same(
    records.filter((r) => r.record === 'error'),
    [],
    'no error record',
  );
  const denied = records.some((r) => (r.record === 'use' || r.record === 'pod') && r.verdict === 'deny');
  t.equal(alone.code, denied ? 1 : 0, denied ? 'a denial: exit 1' : 'nothing denied: exit 0');
});
