/**
 * Where a custom resource keeps its images (docs/design.md §1.1, issue 15 item 6): one row per kind, as data, never
 * new extraction code. A row lists path patterns, in kubectl's field-path style with `[*]` for every item of a list:
 *
 * - `podSpecs`: full core/v1 pod specs (Argo Rollout `spec.template.spec`, KServe `spec.predictor`, a JobSet's
 *   `spec.replicatedJobs[*].template.spec.template.spec`); each is checked like a Deployment's;
 * - `containers` / `initContainers`: single container objects (anything with `image`, `name`, `imagePullPolicy`)
 *   that are not inside a pod spec (Argo `spec.templates[*].container`, Tekton `spec.steps[*]`); a list is matched
 *   by ending the pattern with `[*]`;
 * - `podFields`: where the pod-level fields that apply to those bare containers live (`imagePullSecrets`,
 *   `serviceAccountName`, `nodeSelector`, `affinity`, `tolerations`), e.g. an Argo WorkflowSpec's `spec`; absent
 *   when the object has none (a Tekton Task: its runs supply them).
 *
 * The `workloads:` config key (group, kind and paths) builds rows with the same {@link customWorkload}.
 */
import type { ImageUseSection } from './image-use.js';
import type { WorkloadIdentity } from './pod-spec-paths.js';

/** Field names, and `*` for every item of a list: `spec.templates[*].container` → spec, templates, *, container. */
export type PathPattern = readonly string[];

/** A pattern that ends at one container object, and how its image uses are named in messages. */
export interface ContainerSite {
  readonly pattern: PathPattern;
  readonly section: Extract<ImageUseSection, 'containers' | 'initContainers'>;
}

export interface CustomWorkloadKind extends WorkloadIdentity {
  readonly podSpecs: readonly PathPattern[];
  readonly containers: readonly ContainerSite[];
  readonly podFields?: PathPattern;
}

/** A row as written: patterns as text. */
export interface CustomWorkloadSpec extends WorkloadIdentity {
  readonly podSpecs?: readonly string[];
  readonly containers?: readonly string[];
  readonly initContainers?: readonly string[];
  readonly podFields?: string;
}

const SEGMENT = /^[A-Za-z0-9_-]+(\[\*\])?$/;

/** True for `a.b[*].c`-style text: dot-separated field names, each optionally followed by `[*]`. */
export function isPathPattern(text: string): boolean {
  return text.split('.').every((segment) => SEGMENT.test(segment));
}

/** `spec.templates[*].container` → ['spec', 'templates', '*', 'container']. Check text with {@link isPathPattern}. */
export function parsePathPattern(text: string): PathPattern {
  return Object.freeze(
    text.split('.').flatMap((segment) => (segment.endsWith('[*]') ? [segment.slice(0, -3), '*'] : [segment])),
  );
}

/** ['spec', 'templates', '*', 'container'] → `spec.templates[*].container` (for docs and tests). */
export function formatPathPattern(pattern: PathPattern): string {
  return pattern.reduce(
    (text, segment) => (segment === '*' ? `${text}[*]` : text ? `${text}.${segment}` : segment),
    '',
  );
}

/** Builds a frozen row; every pattern must pass {@link isPathPattern} (the table test and the config check it). */
export function customWorkload(spec: CustomWorkloadSpec): CustomWorkloadKind {
  const sites = (texts: readonly string[] | undefined, section: ContainerSite['section']) =>
    (texts ?? []).map((text) => Object.freeze({ pattern: parsePathPattern(text), section }));
  const { group, version, kind, resource } = spec;
  return Object.freeze({
    group,
    version,
    kind,
    resource,
    podSpecs: Object.freeze((spec.podSpecs ?? []).map(parsePathPattern)),
    containers: Object.freeze([
      ...sites(spec.initContainers, 'initContainers'),
      ...sites(spec.containers, 'containers'),
    ]),
    ...(spec.podFields === undefined ? {} : { podFields: parsePathPattern(spec.podFields) }),
  });
}
