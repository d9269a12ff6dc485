/**
 * What the node would pull for one image use, as the resolve stage needs it (docs/design.md §1.10): nothing
 * special (ask the image's registry, as without a runtime model), a refusal the runtime makes before any request
 * (a blocked registry, an ambiguous short name), or a route of endpoints to ask in the runtime's order, each with
 * the reference to ask there and how to connect. Pure: built from src/node-pull's pull plan.
 */
import { type ImageReference, parseImageReference, registryApiHost } from '../image/reference.js';
import type { PlanEndpoint, PullPlan, Refusal } from '../node-pull/pull-plan.js';
import { isLocalhost } from '../node-pull/containerd-hosts.js';
import type { EndpointAccess } from '../resolution/image-resolver.js';

export interface RouteTarget {
  readonly host: string;
  readonly role: 'mirror' | 'upstream';
  /** For a mirror: the registry it stands in for. */
  readonly mirrorOf?: string;
  /** The reference to ask on this endpoint; absent when pullguard cannot ask it (`unaskable` says why). */
  readonly reference?: ImageReference;
  readonly unaskable?: 'node-local' | 'custom-path';
  /** Absent: the host's `registries:` entry (or plain HTTPS) applies, as for any image. */
  readonly access?: EndpointAccess;
  /** CRI-O `insecure = true`: when HTTPS fails, containers/image retries over plain HTTP. */
  readonly httpFallback?: boolean;
}

export interface PlannedRoute {
  /** The registry host the image names. */
  readonly upstream: string;
  /** The canonical reference the node pulls, when an alias made it another than the image's. */
  readonly pulled?: string;
  readonly targets: readonly RouteTarget[];
  readonly skipped: readonly { readonly host: string; readonly reason: string }[];
  readonly alias?: string;
}

export type NodePlan = { readonly kind: 'route'; readonly route: PlannedRoute } | Refusal;

export interface NodePlanContext {
  /** Hosts the admin listed under `registries:`: pullguard reaches them, even on loopback. */
  readonly isListed: (host: string) => boolean;
  /** Turns a CA path of the runtime files into the path pullguard reads (relative paths: from the hosts dir). */
  readonly caPath: (ca: string, host: string) => string;
}

/**
 * The node plan for `image` (the parsed `reference`), or undefined when the node pulls it straight from its
 * registry with default settings: the review then asks that registry as it always does.
 */
export function nodePlanOf(
  plan: PullPlan | undefined,
  reference: ImageReference,
  context: NodePlanContext,
): NodePlan | undefined {
  if (plan === undefined) return directPlan(reference, context);
  switch (plan.kind) {
    case 'blocked':
    case 'ambiguous':
    case 'no-search-registries':
      return plan;
    case 'invalid':
      return undefined; // the static check already reports the image; an alias's problem is the admin's
    case 'search': {
      const endpoints = plan.plans.flatMap(candidateEndpoints);
      // Every candidate blocked: the runtime refuses the name as it refuses a blocked image.
      const blocked = plan.plans.find((p) => p.kind === 'blocked');
      if (blocked !== undefined && !endpoints.some((e) => e.used)) return blocked;
      return routeOf(endpoints, reference, context);
    }
    case 'endpoints':
      return routeOf(endpointsOf(plan), reference, context, plan.alias && plan.reference);
  }
}

interface Endpoint extends PlanEndpoint {
  readonly mirrorOf: string;
}

/** The plan's endpoints, each knowing the registry its plan is for (a search plan mixes several). */
function endpointsOf(plan: Extract<PullPlan, { kind: 'endpoints' }>): Endpoint[] {
  const mirrorOf = plan.reference.slice(0, plan.reference.indexOf('/'));
  return plan.endpoints.map((endpoint) => ({ ...endpoint, mirrorOf }));
}

/** Without a runtime model, only a node-local registry is special: the webhook cannot reach the node's loopback. */
function directPlan(reference: ImageReference, context: NodePlanContext): NodePlan | undefined {
  const host = reference.domain;
  if (!isLocalhost(host) || context.isListed(host)) return undefined;
  const route: PlannedRoute = {
    upstream: host,
    targets: [{ host, role: 'upstream', unaskable: 'node-local' }],
    skipped: [],
  };
  return { kind: 'route', route };
}

/**
 * A search candidate's endpoints; a blocked candidate is an endpoint the runtime does not ask (containers/image
 * fails that candidate and tries the next).
 */
function candidateEndpoints(candidate: PullPlan): Endpoint[] {
  if (candidate.kind === 'endpoints') return endpointsOf(candidate);
  if (candidate.kind !== 'blocked') return [];
  const host = candidate.reference.slice(0, candidate.reference.indexOf('/'));
  const skipped = `blocked = true for prefix "${candidate.prefix}" in ${candidate.file}`;
  const base = { host, reference: candidate.reference, role: 'upstream', tlsVerify: true, ca: [] } as const;
  return [{ ...base, nodeLocal: false, used: false, skipped, mirrorOf: host }];
}

/** `pulled`: the aliased reference, when an alias gave it. */
function routeOf(
  endpoints: readonly Endpoint[],
  reference: ImageReference,
  context: NodePlanContext,
  pulled?: string,
): NodePlan | undefined {
  const targets = endpoints.filter((e) => e.used).map((endpoint) => target(endpoint, context));
  const skipped = endpoints
    .filter((e) => !e.used)
    .map((e) => ({ host: e.host, reason: e.skipped ?? 'not used for this reference' }));
  if (pulled === undefined && skipped.length === 0 && isDirect(targets, reference)) return undefined;
  const upstream = pulled === undefined ? reference.domain : pulled.slice(0, pulled.indexOf('/'));
  return { kind: 'route', route: { upstream, targets, skipped, ...(pulled ? { pulled } : {}) } };
}

/** One upstream endpoint, asked for the image itself with default settings: today's check, no route needed. */
function isDirect(targets: readonly RouteTarget[], reference: ImageReference): boolean {
  const only = targets[0];
  if (targets.length !== 1 || only === undefined || only.role !== 'upstream') return false;
  if (only.unaskable !== undefined || only.access !== undefined || only.reference === undefined) return false;
  return only.reference.domain === reference.domain && only.reference.path === reference.path;
}

function target(endpoint: Endpoint, context: NodePlanContext): RouteTarget {
  const base = {
    host: endpoint.host,
    role: endpoint.role,
    ...(endpoint.role === 'mirror' ? { mirrorOf: endpoint.mirrorOf } : {}),
  };
  if (endpoint.nodeLocal && !context.isListed(endpoint.host)) return { ...base, unaskable: 'node-local' };
  const prefix = apiPathPrefix(endpoint.path);
  if (prefix === undefined) return { ...base, unaskable: 'custom-path' };
  const reference = referenceOn(endpoint, prefix);
  if (reference === undefined) return { ...base, unaskable: 'custom-path' };
  const access = accessOf(endpoint, context);
  return {
    ...base,
    reference,
    ...(access ? { access } : {}),
    ...(endpoint.scheme === undefined && !endpoint.tlsVerify ? { httpFallback: true } : {}),
  };
}

/** containerd's API path: `/v2` (the default) or `/v2/<prefix>` can be asked; another root cannot. */
function apiPathPrefix(path: string | undefined): string | undefined {
  if (path === undefined || path === '/v2' || path === '/v2/') return '';
  if (!path.startsWith('/v2/')) return undefined;
  return path.slice('/v2/'.length).replace(/\/+$/, '');
}

/**
 * The reference as the endpoint serves it: CRI-O rewrote it already (its host is the endpoint's); containerd asks
 * every host for the image's own repository, under the host's API path.
 */
function referenceOn(endpoint: PlanEndpoint, prefix: string): ImageReference | undefined {
  const parsed = parseImageReference(endpoint.reference);
  if (!parsed.ok) return undefined;
  const ref = parsed.reference;
  const apiHost = registryApiHost(ref.domain);
  if (endpoint.host === ref.domain || (endpoint.host === apiHost && prefix === '')) return ref;
  return { ...ref, domain: endpoint.host, path: prefix === '' ? ref.path : `${prefix}/${ref.path}` };
}

/** Settings that differ from plain HTTPS with the system's CAs, unless the admin listed the host. */
function accessOf(endpoint: PlanEndpoint, context: NodePlanContext): EndpointAccess | undefined {
  if (context.isListed(endpoint.host)) return undefined;
  const plainHttp = endpoint.scheme === 'http';
  const ca = endpoint.ca[0];
  if (!plainHttp && endpoint.tlsVerify && ca === undefined) return undefined;
  return {
    plainHttp,
    insecureSkipVerify: !endpoint.tlsVerify,
    ...(ca !== undefined ? { caFile: context.caPath(ca, endpoint.host) } : {}),
  };
}
