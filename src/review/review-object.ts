/**
 * The use case: one object in, one verdict out (SPEC §1). The only module that combines the grammar, extraction,
 * credentials, registry, platforms and policy, under one deadline (the AbortSignal) and bounded concurrency.
 * Nothing here knows about HTTP: the webhook and `pullguard check` both call it.
 *
 * Stages: extract (extract-stage.ts) → static checks (static-stage.ts) → resolve (resolve-stage.ts, which also
 * builds each image's findings) → decide (decide-stage.ts). The namespace's mode label is read alongside from the
 * start (namespace-mode-read.ts). An unexpected error fails only the image or step it happened in.
 */
import type { Config } from '../config/load-config.js';
import type { Decision } from '../policy/decide.js';
import type { Finding } from '../policy/finding.js';
import { exemptMatcher, staticCheck } from '../policy/static-findings.js';
import { createRegistryLookup } from '../registry/transport/registry-settings.js';
import type { ImageResolver } from '../resolution/image-resolver.js';
import type { Resolution } from '../resolution/resolution.js';
import type { ImageUse } from '../workload/image-use.js';
import { decideStage } from './decide-stage.js';
import { extractStage, type Extracted, type ExtractInput } from './extract-stage.js';
import type { ReviewLog } from './internal-error.js';
import { startModeRead, type ModeRead, type PendingModeRead } from './namespace-mode-read.js';
import type { KeychainPort, NamespaceModePort, PlatformPort } from './ports.js';
import { resolveStage, type Resolved } from './resolve-stage.js';
import { registryChecks, staticStage, type StaticCheckPort } from './static-stage.js';

export interface ReviewDeps {
  readonly config: Config;
  /** Absent: offline, only the checks that need no network run. */
  readonly resolver?: ImageResolver;
  readonly keychain?: KeychainPort;
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
  readonly reference?: string;
  readonly resolution?: Resolution;
  readonly skipped?: 'invalid' | 'exempt' | 'pullPolicyNever' | 'offline';
}

export type ReviewOutcome =
  /** Not checked (skip-rules.ts), or an object pullguard cannot read: as the extract stage says. */
  | Exclude<Extracted, { readonly status: 'extracted' }>
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
  const checkImage: StaticCheckPort = deps.staticCheck ?? ((use) => staticCheck(use, isExempt));
  const registryFor = createRegistryLookup(deps.config);
  const now = deps.now ?? Date.now;
  const { policy, mode: globalMode } = deps.config;
  const { resolver, keychain, platforms, log } = deps;
  const resolveDeps = resolver && { resolver, registryFor, now, ...(keychain ? { keychain } : {}), ...(platforms ? { platforms } : {}), ...(log ? { log } : {}) };
  return {
    async review(input) {
      const extracted = extractStage(input);
      if (extracted.status !== 'extracted') return extracted;
      const { view, uses, namespace, objectLabel } = extracted;
      const reviewed = (findings: readonly Finding[], checked: readonly UseReport[], mode: ModeRead | undefined): ReviewOutcome => ({
        status: 'reviewed',
        objectLabel,
        checkedUses: uses.length,
        uses: checked,
        decision: decideStage({ findings: inUseOrder(findings, uses), policy, globalMode, namespaceMode: mode, namespace }),
      });
      if (uses.length === 0) return reviewed([], [], undefined);

      // Read first: a namespace known to be `off` costs no credential or registry work at all.
      const modeRead = deps.namespaceMode ? startModeRead(deps.namespaceMode, namespace, input.signal) : undefined;
      if (isOff(modeRead?.now)) return offSkip(namespace);

      const checks = staticStage(uses, checkImage, log);
      const findings: Finding[] = checks.flatMap((c) => c.findings);
      const toResolve = resolveDeps ? registryChecks(checks) : [];
      let resolved: Resolved | undefined;
      if (resolveDeps && toResolve.length > 0) {
        // Registry work runs under its own signal, so an `off` label answered meanwhile can stop it.
        const work = linkedAbort(input.signal);
        const resolving = resolveStage(resolveDeps, { checks: toResolve, view, kindName: view.workload.kind, namespace, signal: work.signal });
        const first = modeRead && !modeRead.now ? await Promise.race([resolving, offAnswer(modeRead)]) : await resolving;
        if (first === 'off') {
          work.abort();
          return offSkip(namespace);
        }
        work.release();
        resolved = first;
        findings.push(...resolved.findings);
      }
      const reports = checks.map((check) => reportOf(check, resolved?.resolutions.get(check), resolver ? undefined : 'offline'));
      // The mode only matters when there is something to warn about or deny; then it is always waited for.
      const mode = findings.length > 0 && modeRead ? (modeRead.now ?? (await modeRead.result)) : undefined;
      if (isOff(mode)) return offSkip(namespace);
      return reviewed(findings, reports, mode);
    },
  };
}

function isOff(read: ModeRead | undefined): boolean {
  return read?.known === true && read.mode === 'off';
}

function offSkip(namespace: string): ReviewOutcome {
  return { status: 'skipped', reason: `namespace ${namespace} has pullguard.io/mode=off` };
}

/** Settles with 'off' when the label says so; never settles otherwise. */
function offAnswer(read: PendingModeRead | undefined): Promise<'off'> {
  return new Promise((resolve) => {
    void read?.result.then((answer) => isOff(answer) && resolve('off'));
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

/** Findings in the order of the object's image uses (pod-level first), whatever order the registry answered in. */
function inUseOrder(findings: readonly Finding[], uses: readonly ImageUse[]): Finding[] {
  const position = new Map(uses.map((use, i) => [use, i]));
  return findings
    .map((finding, i) => ({ finding, i, at: finding.use ? (position.get(finding.use) ?? uses.length) : -1 }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((entry) => entry.finding);
}

function reportOf(check: { use: ImageUse; reference?: string; skipRegistry?: UseReport['skipped'] }, resolution: Resolution | undefined, fallback?: 'offline'): UseReport {
  const skipped = check.skipRegistry ?? (resolution ? undefined : fallback);
  return { use: check.use, ...(check.reference ? { reference: check.reference } : {}), ...(resolution ? { resolution } : {}), ...(skipped ? { skipped } : {}) };
}
