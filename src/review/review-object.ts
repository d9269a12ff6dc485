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
import type { Decision, Mode } from '../policy/decide.js';
import type { Policy } from '../policy/finding-class.js';
import { exemptMatcher, staticCheck, type StaticCheck } from '../policy/static-findings.js';
import { createRegistryLookup } from '../config/registry-settings.js';
import type { ImageResolver } from '../resolution/image-resolver.js';
import type { Resolution } from '../resolution/resolution.js';
import type { ImageUse } from '../workload/image-use.js';
import { decideStage } from './decide-stage.js';
import { extractStage, type Extracted, type Extraction, type ExtractInput } from './extract-stage.js';
import { findingsStage } from './findings-stage.js';
import type { ReviewLog } from './internal-error.js';
import { startModeRead, type ModeRead, type PendingModeRead } from './namespace-mode-read.js';
import type { NamespaceModePort, PlatformPort, PullCredentialsPort } from './ports.js';
import { resolveStage, type ResolveDeps, type ResolveInput, type Resolved } from './resolve-stage.js';
import { registryChecks, staticStage, type StaticCheckPort } from './static-stage.js';

export interface ReviewDeps {
  readonly config: Config;
  /** Absent: offline, only the checks that need no network run. */
  readonly resolver?: ImageResolver;
  readonly pullCredentials?: PullCredentialsPort;
  readonly namespaceMode?: NamespaceModePort;
  readonly platforms?: PlatformPort;
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

/** What happened to one image use. */
export interface UseReport {
  readonly use: ImageUse;
  readonly canonical?: string;
  readonly resolution?: Resolution;
  readonly skipped?: 'invalid' | 'exempt' | 'pullPolicyNever' | 'offline';
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
    };

export interface Reviewer {
  review(input: ReviewInput): Promise<ReviewOutcome>;
}

export function createReviewer(deps: ReviewDeps): Reviewer {
  const isExempt = exemptMatcher(deps.config.exemptImages);
  const registryFor = createRegistryLookup(deps.config);
  const pipeline: Pipeline = {
    checkImage: deps.staticCheck ?? ((use) => staticCheck(use, isExempt)),
    nodeCredentials: (host) => registryFor(host)?.nodeCredentials ?? false,
    policy: deps.config.policy,
    globalMode: deps.config.mode,
    resolveDeps: deps.resolver && {
      resolver: deps.resolver,
      now: deps.now ?? Date.now,
      ...(deps.pullCredentials ? { pullCredentials: deps.pullCredentials } : {}),
      ...(deps.platforms ? { platforms: deps.platforms } : {}),
      ...(deps.log ? { log: deps.log } : {}),
    },
    ...(deps.namespaceMode ? { namespaceMode: deps.namespaceMode } : {}),
    ...(deps.log ? { log: deps.log } : {}),
  };
  return { review: (input) => reviewObject(pipeline, input) };
}

/** What the stages need, composed once per reviewer. */
interface Pipeline {
  readonly checkImage: StaticCheckPort;
  readonly nodeCredentials: (host: string) => boolean;
  readonly policy: Policy;
  readonly globalMode: Mode;
  /** Absent: offline. */
  readonly resolveDeps: ResolveDeps | undefined;
  readonly namespaceMode?: NamespaceModePort;
  readonly log?: ReviewLog;
}

/** extract → static checks → resolve → findings → decide, with the namespace's mode label read alongside. */
async function reviewObject(pipeline: Pipeline, input: ReviewInput): Promise<ReviewOutcome> {
  const extracted = extractStage(input);
  if (extracted.status !== 'extracted') return extracted;
  const { view, uses, namespace } = extracted;
  if (uses.length === 0)
    return reviewed(
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

  const checks = staticStage(uses, pipeline.checkImage, pipeline.log);
  const resolved = pipeline.resolveDeps
    ? await resolveUnlessOff(
        pipeline.resolveDeps,
        { checks: registryChecks(checks), view, namespace, signal: input.signal },
        modeRead,
      )
    : undefined;
  if (resolved === 'off') return offSkip(namespace);

  const findings = findingsStage({
    uses,
    checks,
    resolved,
    view,
    namespace,
    nodeCredentials: pipeline.nodeCredentials,
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
  const offline = pipeline.resolveDeps ? undefined : 'offline';
  return reviewed(
    extracted,
    checks.map((check) => reportOf(check, resolved?.resolutions.get(check)?.resolution, offline)),
    decision,
  );
}

function reviewed(extracted: Extraction, uses: readonly UseReport[], decision: Decision): ReviewOutcome {
  return { status: 'reviewed', objectLabel: extracted.objectLabel, checkedUses: extracted.uses.length, uses, decision };
}

/**
 * The resolve stage, stopped when the namespace's label turns out to be `off` meanwhile (its registry work runs under
 * its own signal for that). Undefined when no image needs the registry.
 */
async function resolveUnlessOff(
  deps: ResolveDeps,
  input: ResolveInput,
  modeRead: PendingModeRead | undefined,
): Promise<Resolved | 'off' | undefined> {
  if (input.checks.length === 0) return undefined;
  const work = linkedAbort(input.signal);
  const resolving = resolveStage(deps, { ...input, signal: work.signal });
  const first = modeRead && !modeRead.now ? await Promise.race([resolving, offAnswer(modeRead)]) : await resolving;
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

function reportOf(check: StaticCheck, resolution: Resolution | undefined, fallback: 'offline' | undefined): UseReport {
  const skipped = check.skipRegistry ?? (resolution ? undefined : fallback);
  return {
    use: check.use,
    ...(check.canonical ? { canonical: check.canonical } : {}),
    ...(resolution ? { resolution } : {}),
    ...(skipped ? { skipped } : {}),
  };
}
