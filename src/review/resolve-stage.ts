/**
 * The resolve stage: the pod's credentials, then every image the static checks left for the registry, under the
 * review's deadline. Cached answers settle synchronously; the rest run fairly per registry (fair-schedule.ts).
 * Each image is isolated: an unexpected error while resolving it or building its finding becomes a warning for that
 * image, and the other images are still checked.
 */
import type { RegistryCredential } from '../credentials/credential.js';
import { credentialFinding } from '../policy/credential-findings.js';
import type { Finding } from '../policy/finding.js';
import type { StaticCheck } from '../policy/static-findings.js';
import type { ImageReference } from '../image/reference.js';
import { repositoryName } from '../image/reference.js';
import type { RegistryLookup } from '../registry/transport/registry-settings.js';
import type { ImageResolver } from '../resolution/image-resolver.js';
import type { Resolution } from '../resolution/resolution.js';
import type { PodSpecView } from '../workload/extract-pod-spec.js';
import { runFair } from './fair-schedule.js';
import { imageInternalError, logUnexpected, stepInternalError, type ReviewLog } from './internal-error.js';
import type { KeychainPort, PlatformPort, PodCredentials } from './ports.js';
import { resolutionFinding, type FindingContext } from './resolution-findings.js';

/**
 * Image checks of one review in flight at once, over all registries and per registry. Per registry it is as large
 * as the registry client's default connection limit (`network.concurrencyPerRegistry`, 16), so a workload with up
 * to 16 images on one registry resolves in one round trip (SPEC §5 P2: 10 cold images cost ≤ 1.3× one); the total
 * lets the first images of up to 32 registries start at once, so a slow registry never holds another's turn.
 */
export const IMAGES_IN_FLIGHT = { total: 32, perKey: 16 } as const;

export interface ResolveDeps {
  readonly resolver: ImageResolver;
  readonly keychain?: KeychainPort;
  readonly platforms?: PlatformPort;
  readonly registryFor: RegistryLookup;
  readonly now: () => number;
  readonly log?: ReviewLog;
}

export interface ResolveInput {
  /** Checks with a parsed reference that the registry must be asked about. */
  readonly checks: readonly StaticCheck[];
  readonly view: PodSpecView;
  readonly kindName: string;
  readonly namespace: string;
  readonly signal: AbortSignal;
}

export interface Resolved {
  readonly findings: readonly Finding[];
  readonly resolutions: ReadonlyMap<StaticCheck, Resolution>;
}

/** Never rejects. */
export async function resolveStage(deps: ResolveDeps, input: ResolveInput): Promise<Resolved> {
  const started = deps.now();
  const findings: Finding[] = [];
  const resolutions = new Map<StaticCheck, Resolution>();
  const credentials = await podCredentials(deps, input, findings);
  const candidates = podPlatforms(deps, input.view, findings);
  const ctx: FindingContext = { view: input.view, namespace: input.namespace, registryFor: deps.registryFor, candidates: candidates?.platforms, credentialsUncertain: credentials.uncertain };
  const wantIndex = candidates !== undefined;

  /** Runs `step` for one image; an unexpected error becomes that image's finding. */
  const isolated = (check: StaticCheck, step: () => void): void => {
    try {
      step();
    } catch (error) {
      logUnexpected(deps.log, error, 'resolve');
      findings.push(imageInternalError(check.use, check.reference));
    }
  };
  const settle = (check: StaticCheck, resolution: Resolution, creds: readonly RegistryCredential[]): void =>
    isolated(check, () => {
      resolutions.set(check, resolution);
      const finding = resolutionFinding(check, resolution, creds.length > 0, ctx);
      if (finding) findings.push(finding);
    });

  // The warm path: results already in the cache are settled synchronously; only misses pay for promises, the
  // scheduler and deadline listeners. Uses of the same canonical reference are checked once (SPEC §1.6).
  const pending = new Map<string, { readonly checks: StaticCheck[]; readonly creds: readonly RegistryCredential[]; readonly ref: ImageReference }>();
  for (const check of input.checks) {
    isolated(check, () => {
      const ref = check.parsed as ImageReference;
      const key = check.reference as string;
      const shared = pending.get(key);
      if (shared) return void shared.checks.push(check);
      const creds = credentials.credentialsFor(repositoryName(ref));
      const cached = deps.resolver.peek?.({ reference: ref, credentials: creds, wantIndex });
      if (cached) settle(check, cached, creds);
      else pending.set(key, { checks: [check], creds, ref });
    });
  }
  if (pending.size === 0) return { findings, resolutions };
  await runFair([...pending.values()], (entry) => entry.ref.domain, IMAGES_IN_FLIGHT, async (entry) => {
    let resolution: Resolution;
    try {
      const work = () => deps.resolver.resolve({ reference: entry.ref, credentials: entry.creds, signal: input.signal, wantIndex });
      resolution = await withDeadline(work, input.signal, () => deps.now() - started);
    } catch (error) {
      logUnexpected(deps.log, error, 'resolve');
      for (const check of entry.checks) findings.push(imageInternalError(check.use, check.reference));
      return;
    }
    for (const check of entry.checks) settle(check, resolution, entry.creds);
  });
  return { findings, resolutions };
}

const NO_CREDENTIALS: PodCredentials = { credentialsFor: () => [], findings: [], uncertain: false };
/** The credential step failed: lookups are anonymous and refusals are not certain (warn, never deny). */
const UNKNOWN_CREDENTIALS: PodCredentials = { credentialsFor: () => [], findings: [], uncertain: true };

async function podCredentials(deps: ResolveDeps, input: ResolveInput, findings: Finding[]): Promise<PodCredentials> {
  if (!deps.keychain) return NO_CREDENTIALS;
  const { view } = input;
  try {
    const credentials = await deps.keychain({ namespace: input.namespace, imagePullSecrets: view.imagePullSecrets, serviceAccountName: view.serviceAccountName, isTemplate: view.isTemplate, signal: input.signal });
    findings.push(...credentials.findings.map((problem) => credentialFinding(problem, input.kindName, view)));
    return credentials;
  } catch (error) {
    logUnexpected(deps.log, error, 'credentials');
    findings.push(stepInternalError("pod's pull credentials", 'registry refusals are reported as warnings'));
    return UNKNOWN_CREDENTIALS;
  }
}

function podPlatforms(deps: ResolveDeps, view: PodSpecView, findings: Finding[]): ReturnType<PlatformPort> {
  try {
    return deps.platforms?.(view);
  } catch (error) {
    logUnexpected(deps.log, error, 'platforms');
    findings.push(stepInternalError("pod's platforms", 'the platform check was skipped'));
    return undefined;
  }
}

/**
 * Resolves to a timeout outcome when the review's deadline fires first, whatever the resolver does; work queued
 * behind slower images is not started at all once the deadline has passed.
 */
async function withDeadline(start: () => Promise<Resolution>, signal: AbortSignal, elapsed: () => number): Promise<Resolution> {
  if (signal.aborted) return { outcome: 'timeout', afterMs: elapsed() };
  const work = start();
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<Resolution>((resolve) => {
    onAbort = () => resolve({ outcome: 'timeout', afterMs: elapsed() });
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
