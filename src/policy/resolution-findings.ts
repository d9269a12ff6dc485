/**
 * The finding for one resolved image: the registry's answer in plain words (registry-findings.ts), the platform
 * check of a found index (platform-findings.ts), and refusals softened when the pod's pull credentials are not fully
 * known (uncertain-credentials.ts). Pure: what it needs about the pod and the registry comes in as data.
 */
import type { ProviderEffect } from './provider-effect.js';
import type { CandidatePlatforms } from '../platform/candidate-platforms.js';
import type { Resolution } from '../resolution/resolution.js';
import type { Finding } from './finding.js';
import { platformFindingFor } from './platform-findings.js';
import { registryFinding } from './registry-findings.js';
import type { ParsedCheck } from './static-findings.js';
import { uncertainCredentials } from './uncertain-credentials.js';
import { decisiveStep, type Route } from '../resolution/route.js';
import { unaskedFinding, withRoute } from './node-pull-findings.js';

/** What the findings of one pod's images share. */
export interface PodFacts {
  readonly namespace: string;
  /** Where pull secrets are listed for this object: `spec.template.spec` …; undefined when it has none. */
  readonly podSpecPath: string | undefined;
  readonly serviceAccountName: string;
  /** The platforms the pod can run on, when known. */
  readonly candidates: CandidatePlatforms | undefined;
  /** Some pull secret could not be read (or the credential step failed): a refusal may not be real. */
  readonly credentialsUncertain: boolean;
}

/** What one image's resolution needs besides the pod's facts. */
export interface ImageFacts {
  /** At least one pull credential matched the image's repository. */
  readonly hadCredentials: boolean;
  /** The image's registry is listed with `nodeCredentials: true`. */
  readonly nodeCredentials: boolean;
  /** What the kubelet's credential providers do for this image (absent: none configured or matching). */
  readonly provider?: ProviderEffect;
  /** The endpoints asked in the node runtime's order, when it does not pull straight from the image's registry. */
  readonly route?: Route;
}

/** The finding for one checked image, or undefined when it is fine. */
export function resolutionFinding(
  check: ParsedCheck,
  resolution: Resolution,
  pod: PodFacts,
  image: ImageFacts,
): Finding | undefined {
  if (resolution.outcome === 'found') {
    return resolution.index && pod.candidates ? platformFindingFor(check, resolution.index, pod.candidates) : undefined;
  }
  const { reference } = check;
  const step = image.route && decisiveStep(image.route);
  if (image.route && step && typeof step.result === 'string') {
    return unaskedFinding(check.use, image.route.pulled ?? check.canonical, step, image.route);
  }
  const where = step?.repository ? splitRepository(step.repository) : undefined;
  const registryAnswer = registryFinding(resolution, {
    use: check.use,
    canonical: image.route?.pulled ?? check.canonical, // an alias's target is what the node pulls
    domain: where?.domain ?? reference.domain,
    repositoryPath: where?.path ?? reference.path,
    ...(reference.tag !== undefined ? { tag: reference.tag } : {}),
    ...(reference.digest !== undefined ? { digest: reference.digest } : {}),
    namespace: pod.namespace,
    podSpecPath: pod.podSpecPath,
    serviceAccountName: pod.serviceAccountName,
    hadCredentials: image.hadCredentials,
    nodeCredentials: image.nodeCredentials,
    ...(image.provider ? { provider: image.provider } : {}),
  });
  const finding = registryAnswer && image.route ? withRoute(registryAnswer, image.route) : registryAnswer;
  return finding && uncertainCredentials(finding, pod.credentialsUncertain);
}

function splitRepository(repository: string): { domain: string; path: string } {
  const slash = repository.indexOf('/');
  return { domain: repository.slice(0, slash), path: repository.slice(slash + 1) };
}
