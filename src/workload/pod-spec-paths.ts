/**
 * Where each checked kind keeps its pod spec (docs/design.md §1.1), as a table in the style of Kyverno's
 * `pkg/utils/api/image.go`: adding a kind is one row, never new extraction code.
 */

/** A checked kind as messages name it. `group` is '' for the core API group. */
export interface WorkloadName {
  readonly group: string;
  readonly kind: string;
}

/** A checked kind in the table, built-in or custom: also the version and resource its webhook rule names. */
export interface WorkloadIdentity extends WorkloadName {
  readonly version: string;
  /** Plural resource name, as used in webhook rules and `AdmissionRequest.resource`. */
  readonly resource: string;
}

/** One built-in kind and the field path of its pod spec (custom resources: custom-workloads.ts). */
export interface WorkloadKind extends WorkloadIdentity {
  readonly podSpecPath: readonly string[];
}

const TEMPLATE_SPEC = ['spec', 'template', 'spec'] as const;

const row = (group: string, version: string, kind: string, resource: string, podSpecPath: readonly string[]) =>
  Object.freeze({ group, version, kind, resource, podSpecPath: Object.freeze([...podSpecPath]) });

/**
 * Pod(v1) spec; Deployment/StatefulSet/DaemonSet/ReplicaSet(apps/v1), ReplicationController(v1), Job(batch/v1):
 * spec.template.spec; CronJob(batch/v1): spec.jobTemplate.spec.template.spec; PodTemplate(v1): template.spec
 */
export const WORKLOAD_KINDS: readonly WorkloadKind[] = Object.freeze([
  row('', 'v1', 'Pod', 'pods', ['spec']),
  row('apps', 'v1', 'Deployment', 'deployments', TEMPLATE_SPEC),
  row('apps', 'v1', 'StatefulSet', 'statefulsets', TEMPLATE_SPEC),
  row('apps', 'v1', 'DaemonSet', 'daemonsets', TEMPLATE_SPEC),
  row('apps', 'v1', 'ReplicaSet', 'replicasets', TEMPLATE_SPEC),
  row('', 'v1', 'ReplicationController', 'replicationcontrollers', TEMPLATE_SPEC),
  row('batch', 'v1', 'Job', 'jobs', TEMPLATE_SPEC),
  row('batch', 'v1', 'CronJob', 'cronjobs', ['spec', 'jobTemplate', 'spec', 'template', 'spec']),
  row('', 'v1', 'PodTemplate', 'podtemplates', ['template', 'spec']),
]);

/**
 * Kinds served from an older API group before they moved, with the same pod spec path: `extensions/v1beta1`
 * DaemonSet, Deployment and ReplicaSet (removed in Kubernetes 1.16,
 * https://kubernetes.io/blog/2019/07/18/api-deprecations-in-1-16/). An API server today never sends them to the
 * webhook, but manifests in a repository still hold them, and `check` reads them as their `apps` equivalents.
 */
const MOVED_KINDS: ReadonlyMap<string, string> = new Map(
  ['DaemonSet', 'Deployment', 'ReplicaSet'].map((kind) => [`extensions/${kind}`, `apps/${kind}`]),
);

/** Group → kind → row, moved kinds and the `core` alias included: every review looks up its kind, without a key. */
const BY_GROUP: ReadonlyMap<string, ReadonlyMap<string, WorkloadKind>> = (() => {
  const byKey = new Map(WORKLOAD_KINDS.map((k) => [`${k.group}/${k.kind}`, k]));
  const byGroup = new Map<string, Map<string, WorkloadKind>>();
  const add = (group: string, kind: string, row: WorkloadKind): void => {
    const kinds = byGroup.get(group) ?? new Map<string, WorkloadKind>();
    byGroup.set(group, kinds.set(kind, row));
  };
  for (const row of WORKLOAD_KINDS) add(row.group, row.kind, row);
  for (const row of WORKLOAD_KINDS.filter((k) => k.group === '')) add('core', row.kind, row);
  for (const [from, to] of MOVED_KINDS) {
    const [group = '', kind = ''] = from.split('/');
    const row = byKey.get(to);
    if (row) add(group, kind, row);
  }
  return byGroup;
})();

/**
 * Version-agnostic lookup by API group ('' or 'core' for the core group) and kind (case-sensitive, as in the API).
 * Version-agnostic because the pod spec path has not moved between served versions (apps/v1beta1 and apps/v1beta2
 * Deployment, batch/v1beta1 and batch/v2alpha1 CronJob); a kind that moved groups ({@link MOVED_KINDS}) gets the row
 * of its new group.
 */
export function findWorkloadKind(group: string, kind: string): WorkloadKind | undefined {
  return BY_GROUP.get(group)?.get(kind);
}

/** `apps/v1` → group `apps`; `v1` → the core group ``. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash === -1
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
