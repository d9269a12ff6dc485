/**
 * The findings stage: everything the earlier stages learnt, as findings, in the order of the object's image uses
 * (pod-level findings first). The static checks' findings, the pod's credential problems, unexpected errors of a
 * step, and for each resolved image the finding policy/resolution-findings.ts builds from its resolution. An
 * unexpected error while building one image's finding becomes a warning for that image; the others still count.
 */
import type { ProvidersFor } from '../credentials/credential-providers.js';
import { providerEffect, type ProviderEffect } from '../policy/provider-effect.js';
import { missingAnnotationText } from '../policy/provider-findings.js';
import { uncertainCredentials } from '../policy/uncertain-credentials.js';
import { repositoryName } from '../image/reference.js';
import { credentialFinding } from '../policy/credential-findings.js';
import type { Finding } from '../policy/finding.js';
import { resolutionFinding, type PodFacts } from '../policy/resolution-findings.js';
import { refusalFinding } from '../policy/node-pull-findings.js';
import type { StaticCheck } from '../policy/static-findings.js';
import type { ImageUse } from '../workload/image-use.js';
import type { PodSpecView } from '../workload/extract-pod-spec.js';
import { imageInternalError, logUnexpected, stepInternalError, type ReviewLog } from './internal-error.js';
import type { ImageResolved, Resolved } from './resolve-stage.js';

export interface FindingsInput {
  readonly uses: readonly ImageUse[];
  readonly checks: readonly StaticCheck[];
  /** Absent when nothing was resolved (offline, or no image for the registry). */
  readonly resolved: Resolved | undefined;
  readonly view: PodSpecView;
  readonly namespace: string;
  /** Whether a registry host is listed with `nodeCredentials: true`. */
  readonly nodeCredentials: (host: string) => boolean;
  /** The kubelet credential providers serving a repository; absent when none are configured. */
  readonly credentialProviders?: ProvidersFor;
  readonly log?: ReviewLog;
}

export function findingsStage(input: FindingsInput): Finding[] {
  const findings: Finding[] = input.checks.flatMap((check) => check.findings);
  const { resolved } = input;
  if (resolved) {
    const credentialsKnown = pushCredentialFindings(findings, resolved, input);
    findings.push(...resolved.failures);
    const pod: PodFacts = {
      namespace: input.namespace,
      podSpecPath: podFieldsPath(input.view),
      serviceAccountName: input.view.serviceAccountName,
      candidates: resolved.candidates,
      credentialsUncertain: resolved.credentialsUncertain || !credentialsKnown,
    };
    for (const check of input.checks) {
      const image = resolved.resolutions.get(check);
      if (image) pushImageFinding(findings, image, pod, resolved, input);
      const refusal = resolved.refusals.get(check);
      if (refusal && check.canonical !== undefined) findings.push(refusalFinding(check.use, check.canonical, refusal));
    }
  }
  return inUseOrder(findings, input.uses);
}

/** The pod's credential problems as findings; false when that failed (refusals are then not certain). */
function pushCredentialFindings(findings: Finding[], resolved: Resolved, input: FindingsInput): boolean {
  try {
    findings.push(
      ...resolved.credentialProblems.map((problem) =>
        credentialFinding(problem, input.view.workload.kind, {
          podSpecPath: podFieldsPath(input.view),
          imagePullSecrets: input.view.imagePullSecrets,
        }),
      ),
    );
    return true;
  } catch (error) {
    logUnexpected(input.log, error, 'credentials');
    findings.push(stepInternalError("pod's pull credentials", 'registry refusals are reported as warnings'));
    return false;
  }
}

/** Where the view's pull secrets are listed, or undefined when the object has no place for them. */
function podFieldsPath(view: PodSpecView): string | undefined {
  return view.noPodFields ? undefined : view.podSpecPath;
}

function pushImageFinding(
  findings: Finding[],
  image: ImageResolved,
  pod: PodFacts,
  resolved: Resolved,
  input: FindingsInput,
): void {
  const { check, resolution } = image;
  try {
    // Only a refusal reads `nodeCredentials` and the providers, whose lookups match globs: a found image (the warm
    // path) skips both.
    const refused = resolution.outcome === 'unauthorized';
    const nodeCredentials = refused && input.nodeCredentials(check.reference.domain);
    // A pod secret that works serves the pull whatever the providers do; otherwise a provider the kubelet skips
    // for a missing ServiceAccount annotation is a finding of its own (the kubelet pulls without its credentials).
    const servedBySecret = resolution.outcome === 'found' && image.hadCredentials;
    const providers = servedBySecret ? undefined : input.credentialProviders?.(repositoryName(check.reference));
    const provider = providers && providerEffect(providers, resolved.serviceAccountAnnotations);
    if (!refused && provider?.kind === 'missingAnnotations') {
      const skipped = skippedProviderFinding(check.use, check.canonical, provider, pod, check.reference.domain);
      findings.push(uncertainCredentials(skipped, pod.credentialsUncertain));
    }
    const finding = resolutionFinding(check, resolution, pod, {
      hadCredentials: image.hadCredentials,
      nodeCredentials,
      ...(provider && refused ? { provider } : {}),
      ...(image.route ? { route: image.route } : {}),
    });
    if (finding) findings.push(finding);
  } catch (error) {
    logUnexpected(input.log, error, 'resolve');
    findings.push(imageInternalError(check.use, check.canonical));
  }
}

function skippedProviderFinding(
  use: ImageUse,
  canonical: string,
  effect: Extract<ProviderEffect, { kind: 'missingAnnotations' }>,
  pod: PodFacts,
  domain: string,
): Finding {
  const context = { canonical, domain, namespace: pod.namespace, serviceAccountName: pod.serviceAccountName };
  return { use, canonical, ...missingAnnotationText(effect, { ...context, refused: false }) };
}

/** Findings in the order of the object's image uses (pod-level first), whatever order the registry answered in. */
function inUseOrder(findings: Finding[], uses: readonly ImageUse[]): Finding[] {
  if (findings.length < 2) return findings; // the warm path (nothing found) builds no position map
  const position = new Map(uses.map((use, i) => [use, i]));
  return findings
    .map((finding, i) => ({ finding, i, at: finding.use ? (position.get(finding.use) ?? uses.length) : -1 }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((entry) => entry.finding);
}
