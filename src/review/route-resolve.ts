/**
 * Asks the endpoints of a node plan's route in the runtime's order, stopping at the first that has the image
 * (docs/design.md §1.10). Each endpoint gets the credentials the runtime would send there: those matching the
 * endpoint's own repository (a pull secret or docker config entry for the mirror), then the image's (the kubelet
 * hands the runtime the image's credentials, which containerd and CRI-O send to every endpoint).
 */
import type { RegistryCredential } from '../credentials/credential.js';
import { type ImageReference, repositoryName } from '../image/reference.js';
import type { ImageResolver, PeekOptions } from '../resolution/image-resolver.js';
import type { Resolution } from '../resolution/resolution.js';
import type { Route, RouteStep } from '../resolution/route.js';
import { withDeadline } from './deadline.js';
import type { PlannedRoute, RouteTarget } from './node-plan.js';

export interface RouteRequest {
  readonly route: PlannedRoute;
  readonly credentialsFor: (repository: string) => readonly RegistryCredential[];
  /** The image's own credentials. */
  readonly imageCredentials: readonly RegistryCredential[];
  readonly wantIndex: boolean;
}

/** The route from cached answers only, or undefined when some endpoint it needs has none cached. */
export function peekRoute(resolver: ImageResolver, request: RouteRequest): Route | undefined {
  if (!resolver.peek) return undefined;
  const peek = (options: PeekOptions) => resolver.peek?.(options);
  const steps: RouteStep[] = [];
  for (const target of request.route.targets) {
    const result =
      target.reference === undefined ? (target.unaskable ?? 'custom-path') : peekAt(target, target.reference);
    if (result === undefined) return undefined;
    steps.push(stepOf(target, result));
    if (isFound(result)) break;
  }
  return routeOf(request.route, steps);

  /** As resolveRoute asks: an insecure endpoint's plain-HTTP answer stands in for its failed HTTPS one. */
  function peekAt(target: RouteTarget, reference: ImageReference): Resolution | undefined {
    const options = askOptions(target, reference, request);
    const first = peek(options);
    if (first === undefined || !target.httpFallback || !failedOverHttps(first)) return first;
    return peek({ ...options, access: PLAIN_HTTP });
  }
}

/**
 * Asks the route's endpoints in order until one has the image. Once the review's deadline has passed, the next
 * endpoint is recorded as timed out and none after it is asked: an endpoint left unasked may hold the image, so a
 * route cut short is never a certain miss.
 */
export async function resolveRoute(
  resolver: ImageResolver,
  request: RouteRequest,
  signal: AbortSignal,
  elapsed: () => number,
): Promise<Route> {
  const steps: RouteStep[] = [];
  for (const target of request.route.targets) {
    if (target.reference === undefined) {
      steps.push(stepOf(target, target.unaskable ?? 'custom-path'));
      continue;
    }
    if (signal.aborted) {
      steps.push(stepOf(target, { outcome: 'timeout', afterMs: elapsed() }));
      break;
    }
    const result = await ask(target, target.reference);
    steps.push(stepOf(target, result));
    if (isFound(result)) break;
  }
  return routeOf(request.route, steps);

  async function ask(target: RouteTarget, reference: ImageReference): Promise<Resolution> {
    const options = { ...askOptions(target, reference, request), signal };
    const first = await withDeadline(() => resolver.resolve(options), signal, elapsed);
    if (!target.httpFallback || !failedOverHttps(first)) return first;
    const plain = { ...options, access: PLAIN_HTTP };
    return withDeadline(() => resolver.resolve(plain), signal, elapsed);
  }
}

/** containers/image's retry of an insecure registry: plain HTTP. */
const PLAIN_HTTP = { plainHttp: true, insecureSkipVerify: true } as const;

function askOptions(target: RouteTarget, reference: ImageReference, request: RouteRequest) {
  return {
    reference,
    credentials: endpointCredentials(request, reference),
    wantIndex: request.wantIndex,
    ...(target.access ? { access: target.access } : {}),
  };
}

/** The endpoint's own credentials first, then the image's, each once. */
function endpointCredentials(request: RouteRequest, reference: ImageReference): readonly RegistryCredential[] {
  const own = request.credentialsFor(repositoryName(reference));
  const image = request.imageCredentials;
  if (own === image || own.length === 0) return image;
  if (image.length === 0) return own;
  // One list object per pair: the result cache remembers its keys per list (result-cache.ts).
  let byImage = mergedLists.get(own);
  if (byImage === undefined) mergedLists.set(own, (byImage = new WeakMap()));
  let merged = byImage.get(image);
  if (merged === undefined) {
    merged = [...own, ...image.filter((credential) => !own.includes(credential))];
    byImage.set(image, merged);
  }
  return merged;
}

const mergedLists = new WeakMap<
  readonly RegistryCredential[],
  WeakMap<readonly RegistryCredential[], readonly RegistryCredential[]>
>();

/** An insecure endpoint that does not speak TLS: containers/image then tries plain HTTP. */
function failedOverHttps(result: Resolution): boolean {
  return (
    result.outcome === 'unreachable' &&
    (result.cause === 'tls' || result.cause === 'protocol' || result.cause === 'reset')
  );
}

function stepOf(target: RouteTarget, result: RouteStep['result']): RouteStep {
  const step = {
    host: target.host,
    role: target.role,
    ...(target.mirrorOf !== undefined ? { mirrorOf: target.mirrorOf } : {}),
    result,
  };
  return target.reference === undefined ? step : { ...step, repository: repositoryName(target.reference) };
}

function isFound(result: RouteStep['result']): boolean {
  return typeof result !== 'string' && result.outcome === 'found';
}

function routeOf(planned: PlannedRoute, steps: readonly RouteStep[]): Route {
  return {
    upstream: planned.upstream,
    steps,
    skipped: planned.skipped,
    ...(planned.pulled !== undefined ? { pulled: planned.pulled } : {}),
  };
}
