/**
 * The stages between extract and decide, run for each pod spec view of an object (extract-stage.ts): a Deployment has
 * one, a custom resource one per pod spec plus one for its bare containers. Each view has its own pull secrets,
 * service account and scheduling constraints, so the resolve stage runs once per view (concurrently: the resolver
 * bounds the registry work), and the findings of all views are put together, in view order, for one decision.
 */
import type { ProvidersFor } from '../credentials/credential-providers.js';
import type { Finding } from '../policy/finding.js';
import { foundElsewhere } from '../policy/node-pull-findings.js';
import type { StaticCheck } from '../policy/static-findings.js';
import type { Resolution } from '../resolution/resolution.js';
import { mapLimit } from '../runtime/map-limit.js';
import type { PodSpecView } from '../workload/extract-pod-spec.js';
import type { ImageUse } from '../workload/image-use.js';
import type { ViewToCheck } from './extract-stage.js';
import { findingsStage } from './findings-stage.js';
import type { ReviewLog } from './internal-error.js';
import { resolveStage, type ImageResolved, type ResolveDeps, type Resolved } from './resolve-stage.js';
import { registryChecks, staticStage, type StaticCheckPort } from './static-stage.js';

/** One view after the static checks. */
export interface ViewChecked {
  readonly view: PodSpecView;
  readonly uses: readonly ImageUse[];
  readonly checks: readonly StaticCheck[];
}

export function staticChecks(
  views: readonly ViewToCheck[],
  check: StaticCheckPort,
  log: ReviewLog | undefined,
): ViewChecked[] {
  return views.map(({ view, uses }) => ({ view, uses, checks: staticStage(uses, check, log) }));
}

/** Whether any image of any view needs the registry. */
export function needsRegistry(views: readonly ViewChecked[]): boolean {
  return views.some((entry) => registryChecks(entry.checks).length > 0);
}

/**
 * Pod spec views resolved at once. Objects have a handful; an object with thousands of pod specs (a hostile JobSet)
 * has its views queued, so at most this many credential lookups and 32 × this many image checks are in flight for
 * one review, whatever its size (the registry client also bounds connections per registry).
 */
const VIEWS_IN_FLIGHT = 8;

/**
 * The resolve stage of every view with images for the registry, concurrently; undefined for a view without any.
 * Never rejects (resolveStage never does).
 */
export function resolveViews(
  deps: ResolveDeps,
  views: readonly ViewChecked[],
  namespace: string,
  signal: AbortSignal,
): Promise<(Resolved | undefined)[]> {
  const resolveView = async ({ view, checks }: ViewChecked): Promise<Resolved | undefined> => {
    const forRegistry = registryChecks(checks);
    return forRegistry.length === 0 ? undefined : resolveStage(deps, { checks: forRegistry, view, namespace, signal });
  };
  // The common case (every built-in kind) has one view: no queue to set up on the warm path.
  const [only] = views;
  if (views.length === 1 && only) return resolveView(only).then((resolved) => [resolved]);
  return mapLimit(views, VIEWS_IN_FLIGHT, resolveView);
}

export interface FindingsContext {
  readonly namespace: string;
  readonly nodeCredentials: (host: string) => boolean;
  readonly credentialProviders?: ProvidersFor;
  readonly log?: ReviewLog;
}

/** The findings of every view, each view's in the order of its uses (pod-level first), views in order. */
export function allFindings(
  views: readonly ViewChecked[],
  resolved: readonly (Resolved | undefined)[] | undefined,
  context: FindingsContext,
): Finding[] {
  return views.flatMap(({ view, uses, checks }, i) =>
    findingsStage({ uses, checks, resolved: resolved?.[i], view, ...context }),
  );
}

/** What happened to one image use. */
export interface UseReport {
  readonly use: ImageUse;
  readonly canonical?: string;
  readonly resolution?: Resolution;
  readonly skipped?: 'invalid' | 'exempt' | 'pullPolicyNever' | 'offline';
  /** Where the node finds the image, when it is not the image's own registry: `mirror.internal:5000 (mirror of docker.io)`. */
  readonly foundOn?: string;
}

/** One report per checked use, views in order. `offline`: no registry was asked at all. */
export function useReports(
  views: readonly ViewChecked[],
  resolved: readonly (Resolved | undefined)[] | undefined,
  offline: boolean,
): UseReport[] {
  return views.flatMap(({ checks }, i) =>
    checks.map((check) => reportOf(check, resolved?.[i]?.resolutions.get(check), offline)),
  );
}

function reportOf(check: StaticCheck, image: ImageResolved | undefined, offline: boolean): UseReport {
  const resolution = image?.resolution;
  const skipped = check.skipRegistry ?? (resolution || !offline ? undefined : 'offline');
  const foundOn = image?.route && foundElsewhere(image.route);
  return {
    use: check.use,
    ...(check.canonical ? { canonical: check.canonical } : {}),
    ...(resolution ? { resolution } : {}),
    ...(skipped ? { skipped } : {}),
    ...(foundOn ? { foundOn } : {}),
  };
}
