/**
 * The findings stage for one resolved image: the registry's answer in plain words, the platform check of a found
 * index, and the softening of refusals when the pod's credentials are not fully known.
 */
import type { ImageReference } from '../image/reference.js';
import type { CandidatePlatforms } from '../platform/candidate-platforms.js';
import type { Finding } from '../policy/finding.js';
import { registryFinding } from '../policy/registry-findings.js';
import type { StaticCheck } from '../policy/static-findings.js';
import type { RegistryLookup } from '../registry/transport/registry-settings.js';
import type { Resolution } from '../resolution/resolution.js';
import type { PodSpecView } from '../workload/extract-pod-spec.js';
import { platformFindingFor } from '../policy/platform-findings.js';

export interface FindingContext {
  readonly view: PodSpecView;
  readonly namespace: string;
  readonly registryFor: RegistryLookup;
  /** The platforms the pod can run on, when known. */
  readonly candidates: CandidatePlatforms | undefined;
  /** Some pull secret could not be read (or the credential step failed): a refusal may not be real. */
  readonly credentialsUncertain: boolean;
}

/** The finding for one checked image (undefined when it is fine). `check.parsed` is set for every resolved check. */
export function resolutionFinding(check: StaticCheck, resolution: Resolution, hadCredentials: boolean, ctx: FindingContext): Finding | undefined {
  if (resolution.outcome === 'found') {
    return resolution.index && ctx.candidates ? platformFindingFor(check, resolution.index, ctx.candidates) : undefined;
  }
  const ref = check.parsed as ImageReference;
  const finding = registryFinding(resolution, {
    use: check.use,
    reference: check.reference as string,
    domain: ref.domain,
    repository: ref.path,
    ...(ref.tag !== undefined ? { tag: ref.tag } : {}),
    ...(ref.digest !== undefined ? { digest: ref.digest } : {}),
    namespace: ctx.namespace,
    podSpecPath: ctx.view.podSpecPath,
    serviceAccountName: ctx.view.serviceAccountName,
    hadCredentials,
    nodeCredentials: ctx.registryFor(ref.domain)?.nodeCredentials ?? false,
  });
  return finding?.class === 'unauthorized' && ctx.credentialsUncertain ? uncertainCredentials(finding) : finding;
}

/** With unreadable pull secrets a refusal may just be the credentials pullguard could not see: warn, never deny. */
function uncertainCredentials(finding: Finding): Finding {
  return {
    ...finding,
    class: 'unreachable',
    cause: `${finding.cause} pullguard could not read every pull secret of this pod, so this is not certain.`,
    short: `cannot verify ${finding.reference ?? 'image'}: pull secrets unreadable; admitted anyway`,
  };
}
