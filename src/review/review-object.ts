/**
 * The use case: one object in, one verdict out (SPEC §1). The only module that combines the grammar, extraction,
 * credentials, registry, platforms and policy, under one deadline (the AbortSignal) and bounded concurrency.
 * Nothing here knows about HTTP: the webhook and `pullguard check` both call it.
 */
import type { Config } from '../config/load-config.js';
import type { RegistryCredential } from '../credentials/credential.js';
import { repositoryName, type ImageReference } from '../image/reference.js';
import { credentialFinding } from '../policy/credential-findings.js';
import { decide, type Decision, type Mode } from '../policy/decide.js';
import type { Finding } from '../policy/finding.js';
import { registryFinding } from '../policy/registry-findings.js';
import { exemptMatcher, staticCheck, type ExemptMatcher, type StaticCheck } from '../policy/static-findings.js';
import { createRegistryLookup } from '../registry/registry-settings.js';
import type { Resolution } from '../registry/resolution.js';
import { extractPodSpec, type PodSpecView } from '../workload/extract-pod-spec.js';
import type { ImageUse } from '../workload/image-use.js';
import { findWorkloadKind } from '../workload/pod-spec-paths.js';
import { changedUses } from './changed-uses.js';
import { mapLimit } from './map-limit.js';
import type { KeychainPort, NamespaceModePort, PlatformPort, PodCredentials, ResolverPort } from './ports.js';
import { platformFindingFor } from './platform-findings.js';
import { metadataOf, skipReason } from './skip-rules.js';

/**
 * Image checks of one review running at once. The registry client bounds the load on each registry
 * (`network.concurrencyPerRegistry`, default 16); this only bounds one review's work, and is as large so that a
 * workload with up to 16 images resolves in one registry round trip rather than two (SPEC §5 P2: 10 cold images
 * cost ≤ 1.3× one).
 */
const IMAGES_IN_FLIGHT = 16;

export interface ReviewDeps {
  readonly config: Config;
  /** Absent: offline, only the checks that need no network run. */
  readonly resolver?: ResolverPort;
  readonly keychain?: KeychainPort;
  readonly namespaceMode?: NamespaceModePort;
  readonly platforms?: PlatformPort;
  readonly now?: () => number;
}

export interface ReviewInput {
  readonly kind: { readonly group: string; readonly version: string; readonly kind: string };
  readonly operation: string;
  readonly subResource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly object: unknown;
  readonly oldObject?: unknown;
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
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'invalid'; readonly problem: string }
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
  const now = deps.now ?? Date.now;
  return {
    async review(input) {
      const workload = findWorkloadKind(input.kind.group, input.kind.kind);
      if (!workload) return { status: 'skipped', reason: `kind ${input.kind.kind} carries no pod spec pullguard checks` };
      const skip = skipReason({ kindName: workload.kind, operation: input.operation, object: input.object, ...(input.subResource ? { subResource: input.subResource } : {}) });
      if (skip) return { status: 'skipped', reason: skip };
      const extracted = extractPodSpec(workload, input.object);
      if (!extracted.ok) return { status: 'invalid', problem: extracted.problem };
      const view = extracted.view;
      let uses: readonly ImageUse[] = view.uses;
      if (input.operation === 'UPDATE' && input.oldObject) {
        const previous = extractPodSpec(workload, input.oldObject);
        if (previous.ok) uses = changedUses(view.uses, previous.view.uses);
      }
      const namespace = input.namespace || stringField(metadataOf(input.object), 'namespace') || 'default';
      const objectLabel = labelOf(workload.kind, namespace, input.name, input.object);
      if (uses.length === 0) {
        return { status: 'reviewed', objectLabel, checkedUses: 0, uses: [], decision: decide([], deps.config.policy, 'enforce') };
      }
      const started = now();
      const checks = uses.map((use) => staticCheck(use, isExempt));
      const findings: Finding[] = checks.flatMap((c) => c.findings);
      const toResolve = checks.filter((c) => !c.skipRegistry);
      const reports = new Map<ImageUse, UseReport>(checks.map((c) => [c.use, reportOf(c, deps.resolver ? undefined : 'offline')]));

      const resolver = deps.resolver;
      if (resolver && toResolve.length > 0) {
        const credentials = await podCredentials(deps.keychain, view, namespace, input.signal);
        findings.push(...credentials.findings.map((p) => credentialFinding(p, workload.kind, view)));
        const credentialsUncertain = credentials.uncertain;
        const candidates = deps.platforms?.(view);
        const wantIndex = candidates !== undefined;
        const settle = (check: StaticCheck, resolution: Resolution, hadCredentials: boolean): void => {
          reports.set(check.use, { ...reportOf(check), resolution });
          if (resolution.outcome === 'found') {
            const platformFinding = resolution.index && candidates && platformFindingFor(check, resolution.index, candidates.platforms);
            if (platformFinding) findings.push(platformFinding);
            return;
          }
          const ref = check.parsed as ImageReference;
          let finding = registryFinding(resolution, {
            use: check.use,
            reference: check.reference as string,
            domain: ref.domain,
            repository: ref.path,
            ...(ref.tag !== undefined ? { tag: ref.tag } : {}),
            ...(ref.digest !== undefined ? { digest: ref.digest } : {}),
            namespace,
            podSpecPath: view.podSpecPath,
            serviceAccountName: view.serviceAccountName,
            hadCredentials,
            nodeCredentials: registryFor(ref.domain)?.nodeCredentials ?? false,
          });
          if (finding?.class === 'unauthorized' && credentialsUncertain) finding = uncertainCredentials(finding);
          if (finding) findings.push(finding);
        };
        // The warm path: results already in the cache are settled synchronously; only misses pay for promises,
        // concurrency limits and deadline listeners.
        const pending: PendingCheck[] = [];
        for (const check of toResolve) {
          const creds = credentials.credentialsFor(repositoryName(check.parsed as ImageReference));
          const cached = resolver.peek?.({ reference: check.parsed as ImageReference, credentials: creds, wantIndex });
          if (cached) settle(check, cached, creds.length > 0);
          else pending.push({ check, creds });
        }
        if (pending.length > 0) {
          const resolveOnce = dedupeBy(
            ({ check }: PendingCheck) => check.reference ?? '',
            ({ check, creds }: PendingCheck) =>
              withDeadline(
                resolver.resolve({ reference: check.parsed as ImageReference, credentials: creds, signal: input.signal, wantIndex }),
                input.signal,
                () => now() - started,
              ),
          );
          await mapLimit(pending, IMAGES_IN_FLIGHT, async (entry) => {
            settle(entry.check, await resolveOnce(entry), entry.creds.length > 0);
          });
        }
      }
      const mode = await effectiveMode(deps, namespace, findings, input.signal);
      return {
        status: 'reviewed',
        objectLabel,
        checkedUses: uses.length,
        uses: uses.map((use) => reports.get(use) as UseReport),
        decision: decide(inUseOrder(findings, uses), deps.config.policy, mode),
      };
    },
  };
}

/** An image the cache could not answer, with the credentials it is resolved with. */
interface PendingCheck {
  readonly check: StaticCheck;
  readonly creds: readonly RegistryCredential[];
}

/** Findings in the order of the object's image uses (pod-level first), whatever order the registry answered in. */
function inUseOrder(findings: readonly Finding[], uses: readonly ImageUse[]): Finding[] {
  const position = new Map(uses.map((use, i) => [use, i]));
  return findings
    .map((finding, i) => ({ finding, i, at: finding.use ? (position.get(finding.use) ?? uses.length) : -1 }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((entry) => entry.finding);
}

function reportOf(check: StaticCheck, fallback?: 'offline'): UseReport {
  const skipped = check.skipRegistry ?? fallback;
  return { use: check.use, ...(check.reference ? { reference: check.reference } : {}), ...(skipped ? { skipped } : {}) };
}

const NO_CREDENTIALS: PodCredentials = { credentialsFor: () => [], findings: [], uncertain: false };

async function podCredentials(keychain: KeychainPort | undefined, view: PodSpecView, namespace: string, signal: AbortSignal): Promise<PodCredentials> {
  if (!keychain) return NO_CREDENTIALS;
  return keychain({ namespace, imagePullSecrets: view.imagePullSecrets, serviceAccountName: view.serviceAccountName, isTemplate: view.isTemplate, signal });
}

/** Global `mode: warn`, or the namespace label, softens denials. The label is read only when something would deny. */
async function effectiveMode(deps: ReviewDeps, namespace: string, findings: readonly Finding[], signal: AbortSignal): Promise<Mode> {
  if (deps.config.mode === 'warn') return 'warn';
  if (!deps.namespaceMode || !findings.some((f) => deps.config.policy[f.class] === 'deny')) return 'enforce';
  const label = await deps.namespaceMode(namespace, signal).catch(() => undefined);
  return label === 'warn' ? 'warn' : 'enforce';
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

/** Resolves to a timeout outcome when the review's deadline fires first, whatever the resolver does. */
async function withDeadline(work: Promise<Resolution>, signal: AbortSignal, elapsed: () => number): Promise<Resolution> {
  if (signal.aborted) return { outcome: 'timeout', afterMs: elapsed() };
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

/** The same canonical reference is checked once per request (SPEC §1.6): later uses share the first promise. */
function dedupeBy<T, R>(keyOf: (item: T) => string, task: (item: T) => Promise<R>): (item: T) => Promise<R> {
  const inFlight = new Map<string, Promise<R>>();
  return (item) => {
    const key = keyOf(item);
    let promise = inFlight.get(key);
    if (!promise) {
      promise = task(item);
      inFlight.set(key, promise);
    }
    return promise;
  };
}

function labelOf(kind: string, namespace: string, name: string | undefined, object: unknown): string {
  const metadata = metadataOf(object);
  const objectName = name || stringField(metadata, 'name') || stringField(metadata, 'generateName') || '<unnamed>';
  return kind === 'PodTemplate' || namespace ? `${kind} ${namespace}/${objectName}` : `${kind} ${objectName}`;
}

function stringField(record: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
