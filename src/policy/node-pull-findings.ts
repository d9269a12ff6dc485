/**
 * Findings about what the node would pull (docs/design.md §1.10): refusals the runtime makes before asking any
 * registry (CRI-O's blocked registries and short names), and the words that say where along the runtime's pull
 * order an image was found or missing. Pure.
 */
import { registryApiHost } from '../image/reference.js';
import type { Refusal } from '../node-pull/pull-plan.js';
import type { Route, RouteStep } from '../resolution/route.js';
import type { Resolution } from '../resolution/resolution.js';
import type { ImageUse } from '../workload/image-use.js';
import type { Finding } from './finding.js';

/** The finding for an image the runtime refuses to pull whatever the registries hold. */
export function refusalFinding(use: ImageUse, canonical: string, refusal: Refusal): Finding {
  const base = { use, canonical } as const;
  switch (refusal.kind) {
    case 'blocked':
      return {
        ...base,
        class: 'blockedRegistry',
        cause: `the nodes' CRI-O refuses to pull ${refusal.reference}: the [[registry]] entry with prefix "${refusal.prefix}" in ${refusal.file} has blocked = true.`,
        fix: `Fix: use an image from a registry the cluster allows, or ask the cluster admin to unblock ${refusal.prefix}.`,
        short: `${refusal.reference}: registry ${refusal.prefix} is blocked on the nodes (registries.conf)`,
        runtimeFailure: { kind: 'blockedRegistry', prefix: refusal.prefix },
      };
    case 'ambiguous': {
      const example = preferredCandidate(refusal.candidates);
      return {
        ...base,
        class: 'ambiguousShortName',
        cause: `"${use.image}" has no registry host, and the nodes' CRI-O enforces short names (short-name-mode "enforcing") with several unqualified-search-registries and no alias for "${refusal.name}": the pull fails as ambiguous. It could be ${refusal.candidates.join(', ')}.`,
        fix: `Fix: write the fully qualified name, e.g. ${example}.`,
        short: `short name "${use.image}" is ambiguous on CRI-O (enforcing); write e.g. ${example}`,
        runtimeFailure: { kind: 'ambiguousShortName' },
      };
    }
    case 'no-search-registries':
      return {
        ...base,
        class: 'ambiguousShortName',
        cause: `"${use.image}" has no registry host, and the nodes' CRI-O has no alias for "${refusal.name}" and no unqualified-search-registries: it cannot resolve the name.`,
        fix: `Fix: write the fully qualified name, e.g. ${canonical}.`,
        short: `short name "${use.image}" does not resolve on CRI-O; write e.g. ${canonical}`,
      };
  }
}

/**
 * The endpoint that decides the image's fate is one pullguard cannot ask: a node-local host (`nodeLocal`), or a
 * containerd API path outside `/v2` (`unreachable`). Never a deny: the node may well pull it.
 */
export function unaskedFinding(use: ImageUse, canonical: string, step: RouteStep, route: Route): Finding {
  const base = { use, canonical, outcome: 'unreachable' } as const;
  const name = endpointName(step, route);
  const context = routeSentence(route);
  if (step.result === 'node-local') {
    return {
      ...base,
      class: 'nodeLocal',
      cause: `the node pulls ${canonical} from ${name}, which only the node itself reaches (localhost); pullguard cannot verify it from the webhook.${context}`,
      fix: `Fix: nothing if the node serves it (a registry or cache on the node); if pullguard can reach ${step.host}, list it under registries: in the pullguard config.`,
      short: `unverified: ${step.host} is reachable only from the node (${canonical})`,
    };
  }
  return {
    ...base,
    class: 'unreachable',
    cause: `the node asks ${name} under a custom API path (override_path), which pullguard does not follow; ${canonical} is not verified.${context}`,
    short: `cannot verify ${canonical}: ${step.host} uses a custom API path; admitted unverified`,
  };
}

/** A registry finding with where along the route it was made: which endpoints missed the image, and in what order. */
export function withRoute(finding: Finding, route: Route): Finding {
  const missing = missingEverywhere(route);
  if (missing !== undefined) return { ...finding, cause: `${finding.cause} It is missing on ${missing}.` };
  const sentence = routeSentence(route);
  return sentence === '' ? finding : { ...finding, cause: `${finding.cause}${sentence}` };
}

/** What Docker and containerd mean by the short name, when it is among the candidates; else the runtime's first. */
function preferredCandidate(candidates: readonly string[]): string {
  return candidates.find((c) => c.startsWith('docker.io/')) ?? candidates[0] ?? '';
}

/** `mirror.internal:5000 (mirror of docker.io)`, or the host alone for the upstream. */
function endpointName(step: Pick<RouteStep, 'host' | 'role' | 'mirrorOf'>, route: Pick<Route, 'upstream'>): string {
  return step.role === 'mirror' ? `${step.host} (mirror of ${step.mirrorOf ?? route.upstream})` : step.host;
}

/**
 * ` The node tries mirror.internal:5000 (mirror of docker.io): not found; then docker.io: not found.`: the route
 * in a sentence, or '' when the node asks only the image's own registry.
 */
export function routeSentence(route: Route): string {
  const only = route.steps.length === 1 ? route.steps[0] : undefined;
  // containerd asks docker.io on its API host, registry-1.docker.io: still the image's own registry.
  const direct =
    only !== undefined &&
    only.role === 'upstream' &&
    (only.host === route.upstream || only.host === registryApiHost(route.upstream));
  const alias = route.pulled ? ` The short name resolves to ${route.pulled} through an alias in registries.conf.` : '';
  const skipped = route.skipped.map((s) => `${s.host} (${s.reason})`);
  const notAsked = skipped.length > 0 ? ` Not asked: ${skipped.join('; ')}.` : '';
  if (direct && alias === '' && notAsked === '') return '';
  const steps = route.steps.map((step) => `${endpointName(step, route)}: ${stepWords(step.result)}`);
  return `${alias} The node tries ${steps.join('; then ')}.${notAsked}`;
}

/** `mirror.internal:5000 (mirror of docker.io)`: where the image was found, when not on the image's own registry. */
export function foundElsewhere(route: Route): string | undefined {
  const found = route.steps.at(-1);
  if (found === undefined || typeof found.result === 'string' || found.result.outcome !== 'found') return undefined;
  return found.role === 'upstream' && found.host === route.upstream ? undefined : endpointName(found, route);
}

/** Every endpoint asked said the image is not there: `missing on A (mirror of B) and on B`. */
export function missingEverywhere(route: Route): string | undefined {
  const all = route.steps;
  if (all.length < 2 || !all.every((s) => typeof s.result !== 'string' && s.result.outcome === 'not-found')) {
    return undefined;
  }
  return all.map((step) => endpointName(step, route)).join(' and on ');
}

function stepWords(result: RouteStep['result']): string {
  if (result === 'node-local') return 'reachable only from the node, not verified';
  if (result === 'custom-path') return 'a custom API path (override_path), not verified';
  return outcomeWords(result);
}

function outcomeWords(result: Resolution): string {
  switch (result.outcome) {
    case 'found':
      return 'found';
    case 'not-found':
      return `${result.missing === 'repository' ? 'repository' : result.missing} not found`;
    case 'unauthorized':
      return 'access refused';
    case 'rate-limited':
      return 'rate-limited';
    case 'unreachable':
      return `unreachable (${result.detail})`;
    case 'timeout':
      return 'no answer in time';
    case 'blocked':
      return 'a blocked address (network.blockedCidrs)';
    case 'invalid':
      return `invalid reference (${result.reason})`;
  }
}
