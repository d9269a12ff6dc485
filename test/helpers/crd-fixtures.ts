/**
 * The custom-resource fixtures under test/fixtures/objects/crd (docs/design.md §1.1), read as `check` and the webhook
 * read them: through BUILT_IN_WORKLOADS, the one entry point for kinds. Each fixture's expected views are written out
 * by hand in one of the src/workload/workload-catalog.*fixtures.test.ts files, one file per group of projects below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { splitApiVersion } from '../../src/workload/pod-spec-paths.js';
import { BUILT_IN_WORKLOADS } from '../../src/workload/workload-catalog.js';

const DIR = new URL('../fixtures/objects/crd/', import.meta.url);

/** Fixture file-name prefixes, by the test file that lists their views. */
export const FIXTURE_GROUPS = {
  delivery: ['argo-', 'tekton-', 'knative-', 'kserve-'],
  ml: ['jobset-', 'lws-', 'ray-', 'kubeflow-'],
  kruise: ['kruise-'],
} as const;

/** Every fixture file, sorted. */
export function crdFixtureFiles(): string[] {
  return readdirSync(DIR).sort();
}

/** The fixtures of one group, sorted. */
export function crdFixturesOf(group: keyof typeof FIXTURE_GROUPS): string[] {
  const prefixes: readonly string[] = FIXTURE_GROUPS[group];
  return crdFixtureFiles().filter((file) => prefixes.some((prefix) => file.startsWith(prefix)));
}

export function readCrdFixture(file: string): unknown {
  return parse(readFileSync(new URL(file, DIR), 'utf8'));
}

/** The fixture's pod spec views as BUILT_IN_WORKLOADS.extract gives them; throws if its kind is unknown or bad. */
export function viewCrdFixture(file: string) {
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

/** Every string-valued `image` field under `value`, with its kubectl field path, in document order. */
export function imageFieldPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item: unknown, i) => imageFieldPaths(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const childPath = path ? `${path}.${key}` : key;
    return key === 'image' && typeof child === 'string' ? [childPath] : imageFieldPaths(child, childPath);
  });
}
