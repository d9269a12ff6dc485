/**
 * An image checked where the node would pull it from (docs/design.md §1.10): each endpoint of the runtime's pull
 * order, in that order, with what pullguard learnt there, and the one resolution they add up to. Pure.
 *
 * The runtimes try the next endpoint after any failure and succeed on the first that serves the image: containerd's
 * resolver (https://github.com/containerd/containerd/blob/main/core/remotes/docker/resolver.go, "trying next host")
 * and containers/image for CRI-O (https://github.com/containers/image/blob/main/docker/docker_image_src.go, mirrors
 * then the primary location). So the image pulls when any endpoint has it; a failure is certain only when every
 * endpoint answered with a certain failure.
 */
import type { Resolution } from './resolution.js';

export interface RouteStep {
  /** host[:port] the node contacts. */
  readonly host: string;
  readonly role: 'mirror' | 'upstream';
  /** For a mirror: the registry it stands in for. */
  readonly mirrorOf?: string;
  /** The repository asked there (`host/path`), when it was asked. */
  readonly repository?: string;
  /**
   * What the endpoint answered, or why pullguard could not ask it: `node-local` for a host only the node reaches
   * (localhost), `custom-path` for a containerd `override_path` outside the registry API's `/v2` tree.
   */
  readonly result: Resolution | 'node-local' | 'custom-path';
}

export interface Route {
  /** The registry host the image names (the one every mirror stands in for). */
  readonly upstream: string;
  /** The endpoints asked, in the runtime's order, up to the first that has the image. */
  readonly steps: readonly RouteStep[];
  /** Endpoints of the plan the runtime does not use for this reference, with the reason (e.g. digest-only mirrors). */
  readonly skipped: readonly { readonly host: string; readonly reason: string }[];
  /** The canonical reference the node pulls, when a short name's alias made it another than the image's. */
  readonly pulled?: string;
}

/** The step whose answer stands for the whole route: the first found, else the first uncertain, else the first. */
export function decisiveStep(route: Route): RouteStep | undefined {
  let uncertain: RouteStep | undefined;
  for (const step of route.steps) {
    if (typeof step.result !== 'string' && step.result.outcome === 'found') return step;
    if (uncertain === undefined && isUncertain(step)) uncertain = step;
  }
  return uncertain ?? firstCertainFailure(route.steps);
}

/**
 * The route's resolution: found when any endpoint has the image; else the first answer that leaves the pull open
 * (an endpoint unreachable, timed out, rate-limited or out of pullguard's reach: the node may still succeed there);
 * else, as containerd reports it, the first failure that is not a plain not-found, or the upstream's not-found.
 */
export function routeResolution(route: Route): Resolution | undefined {
  const step = decisiveStep(route);
  if (step === undefined) return undefined;
  if (typeof step.result !== 'string') return step.result;
  return {
    outcome: 'unreachable',
    cause: 'protocol',
    detail:
      step.result === 'node-local'
        ? `${step.host} is reachable only from the node`
        : `${step.host} has a custom API path`,
  };
}

function isUncertain(step: RouteStep): boolean {
  if (typeof step.result === 'string') return true;
  const outcome = step.result.outcome;
  return outcome !== 'not-found' && outcome !== 'unauthorized' && outcome !== 'invalid';
}

function firstCertainFailure(steps: readonly RouteStep[]): RouteStep | undefined {
  const other = steps.find((step) => typeof step.result !== 'string' && step.result.outcome !== 'not-found');
  return other ?? steps.at(-1);
}
