/**
 * Where a custom resource keeps its images (docs/design.md §1.1, issue 15 item 6): one row per kind, as data, never
 * new extraction code. A row lists field paths in the one syntax of runtime/field-path.ts (kubectl's field-path
 * style, `[*]` for every item of a list, `*` for every value of a map):
 *
 * - `podSpecs`: full core/v1 pod specs (Argo Rollout `spec.template.spec`, KServe `spec.predictor`, a JobSet's
 *   `spec.replicatedJobs[*].template.spec.template.spec`, a Kubeflow job's `spec.pytorchReplicaSpecs.*.template.spec`);
 *   each is checked like a Deployment's;
 * - `containers` / `initContainers`: single container objects (anything with `image`, `name`, `imagePullPolicy`)
 *   that are not inside a pod spec (Argo `spec.templates[*].container`, Tekton `spec.steps[*]`); a list is matched
 *   by ending the path with `[*]`;
 * - `podFields`: where the pod-level fields that apply to those bare containers live (`imagePullSecrets`,
 *   `serviceAccountName`, `nodeSelector`, `affinity`, `tolerations`), e.g. an Argo WorkflowSpec's `spec`; absent
 *   when the object has none (a Tekton Task: its runs supply them).
 *
 * Built-in rows (custom-workloads.ts) are written with {@link customWorkload}; the `workloads:` config key gives rows
 * of the same {@link CustomWorkloadPaths} shape (workload-catalog.ts puts them together).
 */
import { parseFieldPath, type FieldPathSegment } from '../runtime/field-path.js';
import type { WorkloadIdentity, WorkloadName } from './pod-spec-paths.js';

/** A parsed field path: `spec.templates[*].container` → field spec, field templates, each element, field container. */
export type PathPattern = readonly FieldPathSegment[];

/** What extraction needs of a row: its name and paths. A `workloads:` config entry has exactly this shape. */
export interface CustomWorkloadPaths extends WorkloadName {
  /**
   * The API versions whose schema these paths describe, when an older one keeps its images elsewhere (Knative's
   * v1alpha1 Service); absent: every version (a CRD's image fields rarely move between served versions).
   */
  readonly versions?: readonly string[];
  readonly podSpecs: readonly PathPattern[];
  readonly containers: readonly PathPattern[];
  readonly initContainers: readonly PathPattern[];
  readonly podFields?: PathPattern;
}

/** A built-in row: paths plus the version and plural resource its webhook rule names. */
export interface CustomWorkloadKind extends CustomWorkloadPaths, WorkloadIdentity {}

/** A built-in row as written: paths as text. */
export interface CustomWorkloadSpec extends WorkloadIdentity {
  readonly podSpecs?: readonly string[];
  readonly containers?: readonly string[];
  readonly initContainers?: readonly string[];
  readonly podFields?: string;
  readonly versions?: readonly string[];
}

/** Builds a frozen row. A malformed path is a bug in the table, so it throws (the table's test loads every row). */
export function customWorkload(spec: CustomWorkloadSpec): CustomWorkloadKind {
  const { group, version, kind, resource } = spec;
  return Object.freeze({
    group,
    version,
    kind,
    resource,
    podSpecs: parsedPaths(spec.podSpecs),
    containers: parsedPaths(spec.containers),
    initContainers: parsedPaths(spec.initContainers),
    ...(spec.podFields === undefined ? {} : { podFields: parsedPath(spec.podFields) }),
    ...(spec.versions === undefined ? {} : { versions: Object.freeze([...spec.versions]) }),
  });
}

/** Whether `row` is read in `version` (undefined: the version is not known, as in a lookup by kind alone). */
export function readsVersion(row: WorkloadName & { readonly versions?: readonly string[] }, version?: string): boolean {
  return version === undefined || row.versions === undefined || row.versions.includes(version);
}

function parsedPaths(texts: readonly string[] | undefined): readonly PathPattern[] {
  return Object.freeze((texts ?? []).map(parsedPath));
}

function parsedPath(text: string): PathPattern {
  const parsed = parseFieldPath(text);
  if (!parsed.ok) throw new Error(`custom workload path ${JSON.stringify(text)} ${parsed.problem}`);
  return parsed.segments;
}
