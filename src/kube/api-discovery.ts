/**
 * Which workload resources the cluster serves, through API discovery
 * (https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api): the built-ins always; a custom resource
 * only when `GET /apis` lists its group version and that group version's APIResourceList lists its plural with the
 * `list` and `watch` verbs (an informer needs both). A CRD that is not installed is simply not served; a discovery
 * request that fails leaves the custom resources out and says why. Requests are bounded (at most 8 in flight, each
 * with the timeout, 64 MiB bodies through kube-request.ts); nothing is thrown.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { mapLimit } from '../runtime/map-limit.js';
import { createKubeRequest, type KubeAnswer, type KubeRequest } from './kube-request.js';
import type { WorkloadResource } from './workload-resources.js';

export interface ServedResources {
  readonly served: WorkloadResource[];
  /** Why some custom resources could not be looked up (they are left out of `served`). */
  readonly problem?: string;
}

export interface DiscoveryOptions {
  readonly signal: AbortSignal;
  /** Ceiling for one discovery request. */
  readonly requestTimeoutMs: number;
}

const MAX_IN_FLIGHT = 8;

export async function discoverServedResources(
  kubeConfig: KubeConfig,
  resources: readonly WorkloadResource[],
  options: DiscoveryOptions,
): Promise<ServedResources> {
  return servedResources(createKubeRequest(kubeConfig, options.requestTimeoutMs), resources, options.signal);
}

/** The discovery over any {@link KubeRequest}. */
async function servedResources(
  request: KubeRequest,
  resources: readonly WorkloadResource[],
  signal: AbortSignal,
): Promise<ServedResources> {
  const builtIn = resources.filter((r) => r.builtIn);
  const custom = resources.filter((r) => !r.builtIn);
  if (custom.length === 0) return { served: [...builtIn] };
  const groups = await request('GET', '/apis', undefined, undefined, signal);
  const offered = groups.status === 'ok' ? groupVersionsOf(groups.value) : undefined;
  if (offered === undefined) return { served: [...builtIn], problem: `API discovery failed: /apis: ${why(groups)}` };
  const wanted = [...new Set(custom.map(groupVersion))].filter((gv) => offered.has(gv));
  const lists = await mapLimit(wanted, MAX_IN_FLIGHT, async (gv) => {
    const answer = await request('GET', `/apis/${gv}`, undefined, undefined, signal);
    return { gv, answer, listed: answer.status === 'ok' ? listedPlurals(answer.value) : undefined };
  });
  const problems = lists.filter((list) => list.answer.status !== 'not-found' && list.listed === undefined);
  const listedBy = new Map(lists.map((list) => [list.gv, list.listed ?? new Set<string>()]));
  const served = [...builtIn, ...custom.filter((r) => listedBy.get(groupVersion(r))?.has(r.resource) === true)];
  const first = problems[0];
  if (first === undefined) return { served };
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more group versions)` : '';
  return { served, problem: `API discovery failed: /apis/${first.gv}: ${why(first.answer)}${more}` };
}

function groupVersion(resource: WorkloadResource): string {
  return `${resource.group}/${resource.version}`;
}

/** The `groupVersion`s an APIGroupList offers; undefined when the body is not one. */
function groupVersionsOf(body: Readonly<Record<string, unknown>>): Set<string> | undefined {
  const groups = body['groups'];
  if (body['kind'] !== 'APIGroupList' || !Array.isArray(groups)) return undefined;
  const offered = new Set<string>();
  for (const group of groups) {
    const versions = (group as { versions?: unknown } | null)?.versions;
    if (!Array.isArray(versions)) continue;
    for (const version of versions) {
      const gv = (version as { groupVersion?: unknown } | null)?.groupVersion;
      if (typeof gv === 'string') offered.add(gv);
    }
  }
  return offered;
}

/** The plurals an APIResourceList lists with both `list` and `watch`; undefined when the body is not one. */
function listedPlurals(body: Readonly<Record<string, unknown>>): Set<string> | undefined {
  const resources = body['resources'];
  if (body['kind'] !== 'APIResourceList' || !Array.isArray(resources)) return undefined;
  const plurals = new Set<string>();
  for (const resource of resources) {
    const { name, verbs } = (resource ?? {}) as { name?: unknown; verbs?: unknown };
    if (typeof name !== 'string' || !Array.isArray(verbs)) continue;
    if (verbs.includes('list') && verbs.includes('watch')) plurals.add(name);
  }
  return plurals;
}

function why(answer: KubeAnswer): string {
  if (answer.status === 'error') return `${answer.kind} (${answer.detail})`;
  if (answer.status === 'ok') return 'invalid (not a discovery document)';
  return answer.status === 'not-found' ? 'not found' : 'conflict';
}
