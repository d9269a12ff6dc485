/**
 * The custom-resource fixtures under test/fixtures/objects/crd (docs/design.md §1.1), read as `check` and the webhook
 * read them: through BUILT_IN_WORKLOADS, the one entry point for kinds. Each fixture's expected views are written out
 * by hand in one of the src/workload/workload-catalog.*fixtures.test.ts files, one file per group of projects below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { splitApiVersion } from '../../src/workload/pod-spec-paths.js';
import { BUILT_IN_WORKLOADS } from '../../src/workload/workload-catalog.js';

const DIR = new URL('../fixtures/objects/crd/', import.meta.url);

/** Fixture file-name prefixes, by the test file that lists their views. */
export const FIXTURE_GROUPS = {
  argo: ['argo-'],
  pipelinesAndServing: ['tekton-', 'knative-', 'kserve-'],
  ml: ['jobset-', 'lws-', 'ray-', 'kubeflow-'],
  kruise: ['kruise-'],
} as const;

type FixtureGroup = keyof typeof FIXTURE_GROUPS;

/** Every fixture file, sorted. */
export function crdFixtureFiles(): string[] {
  return readdirSync(DIR).sort();
}

/** The fixtures of one group, sorted. */
function crdFixturesOf(group: FixtureGroup): string[] {
  const prefixes: readonly string[] = FIXTURE_GROUPS[group];
  return crdFixtureFiles().filter((file) => prefixes.some((prefix) => file.startsWith(prefix)));
}

function readCrdFixture(file: string): unknown {
  return parse(readFileSync(new URL(file, DIR), 'utf8'));
}

/** The fixture's pod spec views as BUILT_IN_WORKLOADS.extract gives them; throws if its kind is unknown or bad. */
function viewCrdFixture(file: string) {
  const object = readCrdFixture(file);
  const { group } = splitApiVersion(String(Reflect.get(Object(object), 'apiVersion')));
  const result = BUILT_IN_WORKLOADS.extract(group, String(Reflect.get(Object(object), 'kind')), object);
  if (result === undefined) throw new Error(`${file}: not a kind pullguard checks`);
  if (!result.ok) throw new Error(`${file}: ${result.problem}`);
  return result.views.map((view) => ({
    at: view.podSpecPath,
    secrets: view.imagePullSecrets,
    sa: view.serviceAccountName,
    uses: view.uses.map((u) => [u.path, u.image, u.name, u.section, u.pullPolicy ?? null]),
  }));
}

/**
 * One tap test per fixture of `group`: its views are `expected[file]`, and they hold every image field of the
 * fixture exactly once; plus a test that `expected` lists every fixture of the group.
 */
export function testCrdFixtures(group: FixtureGroup, expected: Readonly<Record<string, unknown>>): void {
  for (const [file, views] of Object.entries(expected)) {
    t.test(file, async (t) => {
      const seen = viewCrdFixture(file);
      t.same(seen, views);
      const paths = seen.flatMap((view) => view.uses.map(([path]) => String(path)));
      t.same(paths.sort(), imageFieldPaths(readCrdFixture(file)).sort(), 'every image field, each once');
    });
  }
  t.test(`every fixture of ${FIXTURE_GROUPS[group].join(', ')} is listed`, async (t) => {
    t.same(crdFixturesOf(group), Object.keys(expected).sort());
  });
}

/** Every string-valued `image` field under `value`, with its kubectl field path, in document order. */
export function imageFieldPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item: unknown, i) => imageFieldPaths(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const childPath = path ? `${path}.${key}` : key;
    return key === 'image' && typeof child === 'string' ? [childPath] : imageFieldPaths(child, childPath);
  });
}
