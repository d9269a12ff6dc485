/**
 * The resources the audit lists and watches: the built-in workload kinds whose pulls happen (PodTemplate is only a
 * template nobody pulls from), every built-in custom resource row (src/workload/custom-workloads.ts), and `workloads:`
 * rows that name their version and plural. Paths follow
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-uris: `/api/v1/...` for the core group,
 * `/apis/{group}/{version}/...` otherwise. Pure.
 */
import { CUSTOM_WORKLOAD_KINDS } from '../workload/custom-workloads.js';
import { WORKLOAD_KINDS } from '../workload/pod-spec-paths.js';

/** One listable resource (a collection of the API server). */
export interface WorkloadResource {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The plural, as in the API path. */
  readonly resource: string;
  /** A Kubernetes kind, always served; false for a custom resource, served only when its CRD is installed. */
  readonly builtIn: boolean;
}

/**
 * A `workloads:` config row: only the group and kind are required there, so a row that names no version and plural
 * cannot be listed and is left out (the webhook still checks it when the API server sends it).
 */
export interface ConfiguredKind {
  readonly group: string;
  readonly kind: string;
  readonly version?: string;
  readonly resource?: string;
}

const NEVER_PULLED = new Set(['PodTemplate']);

const BUILT_IN: readonly WorkloadResource[] = Object.freeze(
  WORKLOAD_KINDS.filter((row) => !(row.group === '' && NEVER_PULLED.has(row.kind))).map((row) =>
    resource(row.group, row.version, row.kind, row.resource, true),
  ),
);

/** Every resource to list, built-in first, each group/kind once (a config row never replaces a built-in one). */
export function auditedResources(workloads: readonly ConfiguredKind[]): readonly WorkloadResource[] {
  const out: WorkloadResource[] = [...BUILT_IN];
  const seen = new Set(out.map((row) => `${row.group}/${row.kind}`));
  const add = (row: WorkloadResource): void => {
    const key = `${row.group}/${row.kind}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(row);
  };
  for (const row of CUSTOM_WORKLOAD_KINDS) add(resource(row.group, row.version, row.kind, row.resource, false));
  for (const row of workloads) {
    const group = row.group === 'core' ? '' : row.group;
    if (isSegment(row.version) && isSegment(row.resource))
      add(resource(group, row.version, row.kind, row.resource, false));
  }
  return Object.freeze(out);
}

/**
 * The API path of the resource's collection: over all namespaces, or in `namespace`
 * (`/apis/apps/v1/namespaces/shop/deployments`). Names are URI-encoded.
 */
export function collectionPath(row: WorkloadResource, namespace?: string): string {
  const base = row.group === '' ? `/api/${row.version}` : `/apis/${row.group}/${row.version}`;
  const scope = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${base}${scope}/${encodeURIComponent(row.resource)}`;
}

/** `deployments.apps`, `pods`: how kubectl and RBAC messages name a resource. */
export function resourceName(row: WorkloadResource): string {
  return row.group === '' ? row.resource : `${row.resource}.${row.group}`;
}

function resource(group: string, version: string, kind: string, plural: string, builtIn: boolean): WorkloadResource {
  return Object.freeze({ group, version, kind, resource: plural, builtIn });
}

function isSegment(value: string | undefined): value is string {
  return value !== undefined && /^[a-z0-9][a-z0-9.-]{0,252}$/.test(value);
}
