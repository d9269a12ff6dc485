/**
 * API discovery as the API server answers it (https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api,
 * the unaggregated documents): `GET /api` (APIVersions), `GET /apis` (APIGroupList), `GET /apis/{group}` (APIGroup),
 * `GET /api/v1` and `GET /apis/{group}/{version}` (APIResourceList). Built from the served types, so a custom resource
 * appears once it is defined.
 */
import type { ResourceType } from './resources.js';

/** Verbs the API server lists for an ordinary resource. */
const RESOURCE_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** Served for discovery only: the access review the server answers (access-rules.ts). */
const ACCESS_REVIEW: ResourceType = {
  key: 'authorization.k8s.io/selfsubjectaccessreviews',
  apiVersion: 'authorization.k8s.io/v1',
  kind: 'SelfSubjectAccessReview',
  namespaced: false,
  verbs: ['create'],
};

export type DiscoveryAnswer = { readonly found: true; readonly body: object } | { readonly found: false };

/**
 * The discovery document at `segments` (the path split on `/`), `{ found: false }` for an undefined group or group
 * version, or undefined when the path is not a discovery path at all (a resource path).
 */
export function discoveryAnswer(
  segments: readonly string[],
  types: readonly ResourceType[],
  serverAddress: string,
): DiscoveryAnswer | undefined {
  const served = [...types, ACCESS_REVIEW];
  const [root, group, version, ...rest] = segments;
  if (rest.length > 0) return undefined;
  if (root === 'api') {
    if (group === undefined) {
      const body = {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
      };
      return { found: true, body };
    }
    if (version !== undefined) return undefined;
    return group === 'v1' ? { found: true, body: resourceList('v1', served) } : { found: false };
  }
  if (root !== 'apis') return undefined;
  const groups = groupVersions(served);
  if (group === undefined) {
    return { found: true, body: { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups].map(apiGroup) } };
  }
  const versions = groups.get(group);
  if (versions === undefined) return { found: false };
  if (version === undefined)
    return { found: true, body: { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup([group, versions]) } };
  if (!versions.includes(version)) return { found: false };
  return { found: true, body: resourceList(`${group}/${version}`, served) };
}

/** Named groups (not the core one) and their versions, in the order first served. */
function groupVersions(types: readonly ResourceType[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const type of types) {
    const [group, version] = type.apiVersion.split('/');
    if (group === undefined || version === undefined) continue;
    const versions = groups.get(group) ?? [];
    if (!versions.includes(version)) versions.push(version);
    groups.set(group, versions);
  }
  return groups;
}

function apiGroup([name, versions]: [string, string[]]): object {
  const listed = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: listed, preferredVersion: listed[0] };
}

function resourceList(groupVersion: string, types: readonly ResourceType[]): object {
  const resources = types
    .filter((type) => type.apiVersion === groupVersion)
    .map((type) => ({
      name: type.key.split('/').at(-1) ?? type.key,
      singularName: type.kind.toLowerCase(),
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: type.verbs ?? RESOURCE_VERBS,
    }));
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}
