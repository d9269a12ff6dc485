/**
 * The use case: one object in, one verdict out (docs/design.md §1.6). The only module that combines the grammar,
 * extraction, credentials, registry, platforms and policy, under one deadline (the AbortSignal) and bounded
 * concurrency. Nothing here knows about HTTP: the webhook and `pullguard check` both call it.
 *
 * A short pipeline of stages, each a function with its own test: extract (extract-stage.ts) → static checks
 * (static-stage.ts) → resolve (resolve-stage.ts) → findings (findings-stage.ts) → decide (decide-stage.ts). The
 * namespace's mode label is read alongside from the start (namespace-mode-read.ts). The data goes down through the
 * stages' inputs and comes back only as their return values. An unexpected error fails only the image or step it
 * happened in.
 */
import type { Config } from '../config/load-config.js';
import type { ProvidersFor } from '../credentials/credential-providers.js';
import type { Decision, Mode } from '../policy/decide.js';
import type { Policy } from '../policy/finding-class.js';
import { exemptMatcher, staticCheck } from '../policy/static-findings.js';
import { createRegistryLookup } from '../config/registry-settings.js';
import type { ImageResolver } from '../resolution/image-resolver.js';
import { workloadCatalog, type WorkloadCatalog } from '../workload/workload-catalog.js';
import { decideStage } from './decide-stage.js';
import { countUsesToCheck, extractStage, type Extracted, type Extraction, type ExtractInput } from './extract-stage.js';
import type { ReviewLog } from './internal-error.js';
import { startModeRead, type ModeRead, type PendingModeRead } from './namespace-mode-read.js';
import type { Runtime } from '../policy/runtime-words.js';
import type { NamespaceModePort, NodePlanPort, PlatformPort, PullCredentialsPort, RuntimePort } from './ports.js';
import type { ResolveDeps, Resolved } from './resolve-stage.js';
import { runtimePort } from './runtime-in-use.js';
import type { StaticCheckPort } from './static-stage.js';
import {
  allFindings,
  needsRegistry,
  resolveViews,
  staticChecks,
  useReports,
  type UseReport,
  type ViewChecked,
} from './review-views.js';

export type { UseReport } from './review-views.js';

export interface ReviewDeps {
  readonly config: Config;
  /** Absent: offline, only the checks that need no network run. */
  readonly resolver?: ImageResolver;
  readonly pullCredentials?: PullCredentialsPort;
  readonly namespaceMode?: NamespaceModePort;
  readonly platforms?: PlatformPort;
  /** The kubelet credential providers serving a repository (`credentials.credentialProviderConfig`); absent: none. */
  readonly credentialProviders?: ProvidersFor;
  /** Where the node would pull each image from (docs/design.md §1.10); absent: each image's registry. */
  readonly nodePlan?: NodePlanPort;
  /** The nodes' container runtime, quoted in denials; default: the config's `runtime:` (runtime-in-use.ts). */
  readonly runtime?: RuntimePort;
  /** The static check of one image; default: the grammar, `:latest`, pullPolicy Never and `exempt.images`. */
  readonly staticCheck?: StaticCheckPort;
  /** Where unexpected errors are reported (name and code only). */
  readonly log?: ReviewLog;
  readonly now?: () => number;
}

export interface ReviewInput extends ExtractInput {
  readonly kind: { readonly group: string; readonly version: string; readonly kind: string };
  readonly signal: AbortSignal;
}

export type ReviewOutcome =
  /** Not checked (skip-rules.ts), or an object pullguard cannot read: as the extract stage says. */
  | Exclude<Extracted, Extraction>
  | {
      readonly status: 'reviewed';
      readonly objectLabel: string;
      readonly checkedUses: number;
      readonly uses: readonly UseReport[];
      readonly decision: Decision;
      /** The nodes' runtime, read for denials only; undefined: unknown, or nothing denied. */
      readonly runtime?: Runtime;
    };

export interface Reviewer {
  review(input: ReviewInput): Promise<ReviewOutcome>;
}

export function createReviewer(deps: ReviewDeps): Reviewer {
  const isExempt = exemptMatcher(deps.config.exemptImages);
  const registryFor = createRegistryLookup(deps.config);
  const pipeline: Pipeline = {
    workloads: workloadCatalog(deps.config.workloads),
    checkImage: deps.staticCheck ?? ((use) => staticCheck(use, isExempt)),
    nodeCredentials: (host) => registryFor(host)?.nodeCredentials ?? false,
    ...(deps.credentialProviders ? { credentialProviders: deps.credentialProviders } : {}),
    policy: deps.config.policy,
    globalMode: deps.config.mode,
    runtime: deps.runtime ?? runtimePort(deps.config),
    resolveDeps: deps.resolver && {
      resolver: deps.resolver,
      now: deps.now ?? Date.now,
      ...(deps.pullCredentials ? { pullCredentials: deps.pullCredentials } : {}),
      ...(deps.platforms ? { platforms: deps.platforms } : {}),
      ...(deps.nodePlan ? { nodePlan: deps.nodePlan } : {}),
      ...(deps.log ? { log: deps.log } : {}),
    },
    ...(deps.namespaceMode ? { namespaceMode: deps.namespaceMode } : {}),
    ...(deps.log ? { log: deps.log } : {}),
  };
  return { review: (input) => reviewObject(pipeline, input) };
}

/** What the stages need, composed once per reviewer. */
interface Pipeline {
  /** The kinds checked and where their images are: built once per reviewer, with the `workloads:` entries. */
  readonly workloads: WorkloadCatalog;
  readonly checkImage: StaticCheckPort;
  readonly nodeCredentials: (host: string) => boolean;
  readonly credentialProviders?: ProvidersFor;
  readonly policy: Policy;
  readonly globalMode: Mode;
  readonly runtime: RuntimePort;
  /** Absent: offline. */
  readonly resolveDeps: ResolveDeps | undefined;
  readonly namespaceMode?: NamespaceModePort;
  readonly log?: ReviewLog;
}

/**
 * extract → static checks → resolve → findings (per pod spec view, review-views.ts) → decide (once), with the
 * namespace's mode label read alongside.
 */
async function reviewObject(pipeline: Pipeline, input: ReviewInput): Promise<ReviewOutcome> {
  const extracted = extractStage(pipeline.workloads, input);
  if (extracted.status !== 'extracted') return extracted;
  const { namespace } = extracted;
  if (countUsesToCheck(extracted) === 0)
    return reviewed(
      pipeline,
      extracted,
      [],
      decideStage({
        findings: [],
        policy: pipeline.policy,
        globalMode: pipeline.globalMode,
        namespaceMode: undefined,
        namespace,
      }),
    );

  // Read first: a namespace known to be `off` costs no credential or registry work at all.
  const modeRead = pipeline.namespaceMode ? startModeRead(pipeline.namespaceMode, namespace, input.signal) : undefined;
  if (isOff(modeRead?.now)) return offSkip(namespace);

  const views = staticChecks(extracted.views, pipeline.checkImage, pipeline.log);
  const resolved = pipeline.resolveDeps
    ? await resolveUnlessOff(pipeline.resolveDeps, views, namespace, input.signal, modeRead)
    : undefined;
  if (resolved === 'off') return offSkip(namespace);

  const findings = allFindings(views, resolved, {
    namespace,
    nodeCredentials: pipeline.nodeCredentials,
    ...(pipeline.credentialProviders ? { credentialProviders: pipeline.credentialProviders } : {}),
    ...(pipeline.log ? { log: pipeline.log } : {}),
  });
  // The mode only matters when there is something to warn about or deny; then it is always waited for.
  const mode = findings.length > 0 && modeRead ? (modeRead.now ?? (await modeRead.result)) : undefined;
  if (isOff(mode)) return offSkip(namespace);
  const decision = decideStage({
    findings,
    policy: pipeline.policy,
    globalMode: pipeline.globalMode,
    namespaceMode: mode,
    namespace,
  });
  return reviewed(pipeline, extracted, useReports(views, resolved, !pipeline.resolveDeps), decision);
}

function reviewed(
  pipeline: Pipeline,
  extracted: Extraction,
  uses: readonly UseReport[],
  decision: Decision,
): ReviewOutcome {
  const checkedUses = countUsesToCheck(extracted);
  // The first pod spec's placement: an object's pod specs (a custom resource's several) rarely differ in it.
  const runtime = decision.verdict === 'deny' ? pipeline.runtime(extracted.views[0]?.view) : undefined;
  return {
    status: 'reviewed',
    objectLabel: extracted.objectLabel,
    checkedUses,
    uses,
    decision,
    ...(runtime ? { runtime } : {}),
  };
}

/**
 * The resolve stage of every view, stopped when the namespace's label turns out to be `off` meanwhile (its registry
 * work runs under its own signal for that). Undefined when no image needs the registry.
 */
async function resolveUnlessOff(
  deps: ResolveDeps,
  views: readonly ViewChecked[],
  namespace: string,
  signal: AbortSignal,
  modeRead: PendingModeRead | undefined,
): Promise<(Resolved | undefined)[] | 'off' | undefined> {
  if (!needsRegistry(views)) return undefined;
  // The namespace's mode is known (or not read at all): nothing can stop the work early, so no signal of its own.
  if (!modeRead || modeRead.now) return resolveViews(deps, views, namespace, signal);
  const work = linkedAbort(signal);
  const first = await Promise.race([resolveViews(deps, views, namespace, work.signal), offAnswer(modeRead)]);
  if (first === 'off') work.abort();
  else work.release();
  return first;
}

function isOff(read: ModeRead | undefined): boolean {
  return read?.known === true && read.mode === 'off';
}

function offSkip(namespace: string): ReviewOutcome {
  return { status: 'skipped', reason: `namespace ${namespace} has pullguard.io/mode=off` };
}

/** Settles with 'off' when the label says so; never settles otherwise. */
function offAnswer(read: PendingModeRead): Promise<'off'> {
  return new Promise((resolve) => {
    void read.result.then((answer) => isOff(answer) && resolve('off'));
  });
}

/** A signal that aborts with `parent` or on `abort()`; `release()` detaches it from `parent` once the work is over. */
function linkedAbort(parent: AbortSignal): { readonly signal: AbortSignal; abort(): void; release(): void } {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  const release = (): void => parent.removeEventListener('abort', onAbort);
  return {
    signal: controller.signal,
    abort: () => {
      release();
      controller.abort(new DOMException('namespace is pullguard.io/mode=off', 'AbortError'));
    },
    release,
  };
}
