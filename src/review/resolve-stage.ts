/**
 * The resolve stage: the pod's pull credentials and platforms, then every image the static checks left for the
 * registry, under the review's deadline. Cached answers settle synchronously; the rest run fairly per registry
 * (fair-schedule.ts). Uses of the same canonical reference are resolved once. Each image is isolated: an unexpected
 * error while resolving it becomes a warning for that image (in `failures`), and the other images are still
 * resolved. What the answers mean is the findings stage's business (findings-stage.ts).
 */
import type { RegistryCredential } from '../credentials/credential.js';
import type { CredentialProblem } from '../credentials/credential-problem.js';
import type { PullCredentials, ServiceAccountAnnotations } from '../credentials/pull-credentials.js';
import { repositoryName } from '../image/reference.js';
import type { CandidatePlatforms } from '../platform/candidate-platforms.js';
import type { Finding } from '../policy/finding.js';
import type { RegistryCheck, StaticCheck } from '../policy/static-findings.js';
import type { ImageResolver } from '../resolution/image-resolver.js';
import type { Resolution } from '../resolution/resolution.js';
import type { PodSpecView } from '../workload/extract-pod-spec.js';
import { withDeadline } from './deadline.js';
import { runFair } from './fair-schedule.js';
import { imageInternalError, logUnexpected, stepInternalError, type ReviewLog } from './internal-error.js';
import type { NodePlanPort, PlatformPort, PullCredentialsPort } from './ports.js';
import type { Refusal } from '../node-pull/pull-plan.js';
import { peekRoute, resolveRoute, type RouteRequest } from './route-resolve.js';
import { type Route, routeResolution } from '../resolution/route.js';

/**
 * Image checks of one review in flight at once, over all registries and per registry. Per registry it is 16, well
 * within the registry client's default connection limit (`network.concurrencyPerRegistry`, 64), so a workload with up
 * to 16 images on one registry resolves in one round trip (P2 in docs/design.md §7.1: 10 cold images cost ≤ 1.3× one);
 * the total lets the first images of up to 32 registries start at once, so a slow registry never holds another's turn.
 */
const IMAGES_IN_FLIGHT = { total: 32, perKey: 16 } as const;

export interface ResolveDeps {
  readonly resolver: ImageResolver;
  /** Where the node would pull an image from (docs/design.md §1.10); absent or undefined: its registry, directly. */
  readonly nodePlan?: NodePlanPort;
  readonly pullCredentials?: PullCredentialsPort;
  readonly platforms?: PlatformPort;
  readonly now: () => number;
  readonly log?: ReviewLog;
}

export interface ResolveInput {
  /** The checks the registry must answer (static-stage.ts, `registryChecks`). */
  readonly checks: readonly RegistryCheck[];
  readonly view: PodSpecView;
  readonly namespace: string;
  readonly signal: AbortSignal;
}

/** The registry's answer for one image use. */
export interface ImageResolved {
  readonly check: RegistryCheck;
  readonly resolution: Resolution;
  /** At least one pull credential matched the image's repository. */
  readonly hadCredentials: boolean;
  /** The endpoints asked in the runtime's order, when the node does not pull straight from the image's registry. */
  readonly route?: Route;
}

export interface Resolved {
  /** By static check; a check whose resolution failed unexpectedly has none (its warning is in `failures`). */
  readonly resolutions: ReadonlyMap<StaticCheck, ImageResolved>;
  /** Images the node's runtime refuses before asking any registry (a blocked registry, an ambiguous short name). */
  readonly refusals: ReadonlyMap<StaticCheck, Refusal>;
  readonly credentialProblems: readonly CredentialProblem[];
  /** Some pull credential of the pod went unseen (or the credential step failed): a refusal may not be real. */
  readonly credentialsUncertain: boolean;
  /** The ServiceAccount's annotation keys, when read for a credential provider (credentials/credential-providers.ts). */
  readonly serviceAccountAnnotations?: ServiceAccountAnnotations;
  /** The platforms the pod can run on, when known. */
  readonly candidates: CandidatePlatforms | undefined;
  /** Unexpected errors of a pod-level step or of one image, as findings, in the order they happened. */
  readonly failures: readonly Finding[];
}

/** An image's pending resolution, shared by every use of its canonical reference. */
interface Pending {
  readonly checks: RegistryCheck[];
  readonly credentials: readonly RegistryCredential[];
  readonly first: RegistryCheck;
  readonly route?: RouteRequest;
}

/** Never rejects. */
export async function resolveStage(deps: ResolveDeps, input: ResolveInput): Promise<Resolved> {
  const started = deps.now();
  const failures: Finding[] = [];
  const resolutions = new Map<StaticCheck, ImageResolved>();
  const refusals = new Map<StaticCheck, Refusal>();
  const credentials = await pullCredentials(deps, input, failures);
  const candidates = podPlatforms(deps, input.view, failures);
  const wantIndex = candidates !== undefined;
  const resolved: Resolved = {
    resolutions,
    refusals,
    credentialProblems: credentials.problems,
    credentialsUncertain: credentials.uncertain,
    ...(credentials.serviceAccountAnnotations
      ? { serviceAccountAnnotations: credentials.serviceAccountAnnotations }
      : {}),
    candidates,
    failures,
  };

  // The warm path: results already in the cache are settled synchronously; only misses pay for promises, the
  // scheduler and deadline listeners. Uses of the same canonical reference are resolved once (docs/design.md §1.6).
  const pending = new Map<string, Pending>();
  for (const check of input.checks) {
    try {
      const plan = deps.nodePlan?.(check);
      if (plan !== undefined && plan.kind !== 'route') {
        refusals.set(check, plan);
        continue;
      }
      // A short name may pull from elsewhere than its canonical reference says (CRI-O): routes go by the image as written.
      const key = plan === undefined ? check.canonical : `route:${check.use.image}`;
      const shared = pending.get(key);
      if (shared) {
        shared.checks.push(check);
        continue;
      }
      const creds = credentials.credentialsFor(repositoryName(check.reference));
      if (plan !== undefined) {
        const route: RouteRequest = {
          route: plan.route,
          credentialsFor: credentials.credentialsFor,
          imageCredentials: creds,
          wantIndex,
        };
        const cached = peekRoute(deps.resolver, route);
        if (cached) settleRoute(resolutions, [check], cached, creds);
        else pending.set(key, { checks: [check], credentials: creds, first: check, route });
        continue;
      }
      const cached = deps.resolver.peek?.({ reference: check.reference, credentials: creds, wantIndex });
      if (cached) settle(resolutions, [check], cached, creds);
      else pending.set(key, { checks: [check], credentials: creds, first: check });
    } catch (error) {
      imageFailed(deps.log, failures, [check], error);
    }
  }
  if (pending.size === 0) return resolved;
  await runFair(
    [...pending.values()],
    (entry) => entry.first.reference.domain,
    IMAGES_IN_FLIGHT,
    async (entry) => {
      try {
        if (entry.route) {
          const route = await resolveRoute(deps.resolver, entry.route, input.signal, () => deps.now() - started);
          settleRoute(resolutions, entry.checks, route, entry.credentials);
          return;
        }
        const work = () =>
          deps.resolver.resolve({
            reference: entry.first.reference,
            credentials: entry.credentials,
            signal: input.signal,
            wantIndex,
          });
        settle(
          resolutions,
          entry.checks,
          await withDeadline(work, input.signal, () => deps.now() - started),
          entry.credentials,
        );
      } catch (error) {
        imageFailed(deps.log, failures, entry.checks, error);
      }
    },
  );
  return resolved;
}

function settle(
  resolutions: Map<StaticCheck, ImageResolved>,
  checks: readonly RegistryCheck[],
  resolution: Resolution,
  credentials: readonly RegistryCredential[],
): void {
  for (const check of checks) resolutions.set(check, { check, resolution, hadCredentials: credentials.length > 0 });
}

/** No endpoint of the runtime files serves this reference (e.g. none has the capability a tag needs). */
const NO_ENDPOINT: Resolution = {
  outcome: 'unreachable',
  cause: 'protocol',
  detail: 'the runtime files give no endpoint for this reference',
};

function settleRoute(
  resolutions: Map<StaticCheck, ImageResolved>,
  checks: readonly RegistryCheck[],
  route: Route,
  credentials: readonly RegistryCredential[],
): void {
  const resolution = routeResolution(route) ?? NO_ENDPOINT;
  for (const check of checks) {
    resolutions.set(check, { check, resolution, hadCredentials: credentials.length > 0, route });
  }
}

function imageFailed(
  log: ReviewLog | undefined,
  failures: Finding[],
  checks: readonly RegistryCheck[],
  error: unknown,
): void {
  logUnexpected(log, error, 'resolve');
  for (const check of checks) failures.push(imageInternalError(check.use, check.canonical));
}

/** One list for every anonymous lookup: the result cache remembers its keys per list (result-cache.ts). */
const ANONYMOUS: readonly RegistryCredential[] = Object.freeze([]);
const NO_CREDENTIALS: PullCredentials = { credentialsFor: () => ANONYMOUS, problems: [], uncertain: false };
/** The credential step failed: lookups are anonymous and refusals are not certain (warn, never deny). */
const UNKNOWN_CREDENTIALS: PullCredentials = { credentialsFor: () => ANONYMOUS, problems: [], uncertain: true };

async function pullCredentials(deps: ResolveDeps, input: ResolveInput, failures: Finding[]): Promise<PullCredentials> {
  if (!deps.pullCredentials) return NO_CREDENTIALS;
  const { view } = input;
  try {
    return await deps.pullCredentials({
      namespace: input.namespace,
      imagePullSecrets: view.imagePullSecrets,
      serviceAccountName: view.serviceAccountName,
      isTemplate: view.isTemplate,
      signal: input.signal,
    });
  } catch (error) {
    logUnexpected(deps.log, error, 'credentials');
    failures.push(stepInternalError("pod's pull credentials", 'registry refusals are reported as warnings'));
    return UNKNOWN_CREDENTIALS;
  }
}

function podPlatforms(deps: ResolveDeps, view: PodSpecView, failures: Finding[]): ReturnType<PlatformPort> {
  try {
    return deps.platforms?.(view);
  } catch (error) {
    logUnexpected(deps.log, error, 'platforms');
    failures.push(stepInternalError("pod's platforms", 'the platform check was skipped'));
    return undefined;
  }
}
