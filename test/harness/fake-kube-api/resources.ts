/**
 * The resources the fake API serves: each one's store key, group version, kind and scope, and the URL paths that
 * reach them (https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-uris).
 */

export interface ResourceType {
  /** The store key: the plural for the core group (`pods`), `group/plural` otherwise (`apps/deployments`). */
  readonly key: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** The verbs discovery lists (default: every verb of an ordinary resource). */
  readonly verbs?: readonly string[];
}

/** The built-in resources every fake API serves. */
export const TYPES: readonly ResourceType[] = [
  { key: 'secrets', apiVersion: 'v1', kind: 'Secret', namespaced: true },
  { key: 'serviceaccounts', apiVersion: 'v1', kind: 'ServiceAccount', namespaced: true },
  { key: 'namespaces', apiVersion: 'v1', kind: 'Namespace', namespaced: false },
  { key: 'nodes', apiVersion: 'v1', kind: 'Node', namespaced: false },
  { key: 'pods', apiVersion: 'v1', kind: 'Pod', namespaced: true },
  { key: 'events', apiVersion: 'v1', kind: 'Event', namespaced: true },
  { key: 'replicationcontrollers', apiVersion: 'v1', kind: 'ReplicationController', namespaced: true },
  { key: 'events.k8s.io/events', apiVersion: 'events.k8s.io/v1', kind: 'Event', namespaced: true },
  { key: 'apps/deployments', apiVersion: 'apps/v1', kind: 'Deployment', namespaced: true },
  { key: 'apps/statefulsets', apiVersion: 'apps/v1', kind: 'StatefulSet', namespaced: true },
  { key: 'apps/daemonsets', apiVersion: 'apps/v1', kind: 'DaemonSet', namespaced: true },
  { key: 'apps/replicasets', apiVersion: 'apps/v1', kind: 'ReplicaSet', namespaced: true },
  { key: 'batch/jobs', apiVersion: 'batch/v1', kind: 'Job', namespaced: true },
  { key: 'batch/cronjobs', apiVersion: 'batch/v1', kind: 'CronJob', namespaced: true },
  { key: 'coordination.k8s.io/leases', apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespaced: true },
  {
    key: 'admissionregistration.k8s.io/validatingwebhookconfigurations',
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    namespaced: false,
  },
];

/** The store keys `add(resource, object)` accepts. */
export type ResourceKey =
  | 'secrets'
  | 'serviceaccounts'
  | 'namespaces'
  | 'nodes'
  | 'pods'
  | 'events'
  | 'replicationcontrollers'
  | 'events.k8s.io/events'
  | 'apps/deployments'
  | 'apps/statefulsets'
  | 'apps/daemonsets'
  | 'apps/replicasets'
  | 'batch/jobs'
  | 'batch/cronjobs'
  | 'coordination.k8s.io/leases'
  | 'admissionregistration.k8s.io/validatingwebhookconfigurations';

/** A store key of a custom resource defined with `defineResource`: `group/plural`. */
export type CustomResourceKey = `${string}.${string}/${string}`;

export interface CustomResourceDefinition {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** The verbs discovery lists (default: all of an ordinary resource's). */
  readonly verbs?: readonly string[];
}

/** The type of a custom resource; throws (a test's setup mistake) for a group without a dot or a taken key. */
export function defineType(
  definition: {
    group: string;
    version: string;
    kind: string;
    plural: string;
    namespaced: boolean;
    verbs?: readonly string[];
  },
  served: readonly ResourceType[],
): ResourceType {
  const { group, version, kind, plural, namespaced, verbs } = definition;
  if (!group.includes('.')) throw new Error(`fake kube API: a custom resource group needs a dot, not "${group}"`);
  if (!/^[a-z0-9-]+$/.test(plural) || !/^v\d+\w*$/.test(version) || kind === '')
    throw new Error(`fake kube API: ${group}/${version} ${kind} ${plural} is not a valid definition`);
  const key = `${group}/${plural}`;
  if (served.some((type) => type.key === key)) throw new Error(`fake kube API: ${key} is already served`);
  return { key, apiVersion: `${group}/${version}`, kind, namespaced, ...(verbs !== undefined ? { verbs } : {}) };
}

export function resourceType(key: string, types: readonly ResourceType[] = TYPES): ResourceType | undefined {
  return types.find((type) => type.key === key);
}

export interface ResourcePath {
  readonly type: ResourceType;
  /** Undefined: every namespace (a list), or a cluster-scoped resource. */
  readonly namespace?: string;
  readonly name?: string;
}

/**
 * `/api/v1/{plural}[/{name}]`, `/api/v1/namespaces/{ns}/{plural}[/{name}]`, and the same under
 * `/apis/{group}/{version}`; `/api/v1/namespaces/{name}` is a Namespace. Undefined for anything else.
 */
export function resourcePath(
  segments: readonly string[],
  types: readonly ResourceType[] = TYPES,
): ResourcePath | undefined {
  const [root, ...after] = segments;
  let groupVersion: string;
  let rest: readonly string[];
  if (root === 'api') {
    if (after[0] !== 'v1') return undefined;
    groupVersion = 'v1';
    rest = after.slice(1);
  } else if (root === 'apis' && after.length >= 2) {
    groupVersion = `${after[0]}/${after[1]}`;
    rest = after.slice(2);
  } else return undefined;
  const typeOf = (plural: string | undefined) =>
    types.find((type) => type.apiVersion === groupVersion && type.key.split('/').at(-1) === plural);
  const [first, second, third, fourth, ...extra] = rest;
  if (extra.length > 0 || first === undefined) return undefined;
  if (first === 'namespaces' && third !== undefined && second !== undefined) {
    const type = typeOf(third);
    if (type === undefined || !type.namespaced) return undefined;
    return { type, namespace: second, ...(fourth !== undefined ? { name: fourth } : {}) };
  }
  if (third !== undefined) return undefined;
  const type = typeOf(first);
  if (type === undefined) return undefined;
  if (second !== undefined && type.namespaced) return undefined;
  return { type, ...(second !== undefined ? { name: second } : {}) };
}
