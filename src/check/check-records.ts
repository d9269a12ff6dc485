/**
 * Review outcomes → the JSON records of `pullguard check -o json` (docs/design.md §4.2): one record per image use, plus
 * one per pod-level finding (a missing pull secret, a missing service account). Pure.
 *
 * - `outcome` is the registry outcome, `invalid` for a reference that does not parse, and `not-checked` when the
 *   registry was not asked (offline, exempt, `imagePullPolicy: Never`).
 * - `class`, `verdict` and `message` come from the most severe finding of the use (deny, then warn, then allow);
 *   with no finding, `class` and `message` are null and `verdict` is `allow`.
 * - `findings` holds every finding of the use (or the one of a pod-level record), most severe first, each with its
 *   class, verdict and message: the first is the one `class`, `verdict` and `message` repeat. A denied finding the node
 *   would report also has `nodeError`, the line the denial quotes in the runtime's words.
 * - `record` says what a record is: `use`, `pod`, and, built by the CLI, `error` (an input or object that could
 *   not be read or checked) and `skip` (an object not checked).
 * - A pod-level record has `container`, `image` and `reference` null, `subject` naming what it is about, and `path`
 *   pointing at the `imagePullSecrets` entry (or `serviceAccountName` when the secret comes from the service account).
 */
import type { Verdict, FindingClass } from '../policy/finding-class.js';
import type { DecidedFinding } from '../policy/finding.js';
import { nodeErrorLine, type QuotedRuntime } from '../policy/runtime-failure.js';
import type { Outcome } from '../resolution/resolution.js';
import type { UseReport } from '../review/review-object.js';
import type { ObjectIdentity } from './classify-document.js';
import type { CheckedObject } from './run-checks.js';

export type RecordOutcome = Outcome | 'not-checked';

/** One finding of a use, as the JSON carries it. */
export interface RecordFinding {
  readonly class: FindingClass;
  readonly verdict: Verdict;
  /** Cause and fix, as in the webhook's denial message. */
  readonly message: string;
  /** For a denied finding the node would report: its error line, as the denial quotes it (`Node error (…): …`). */
  readonly nodeError?: string;
}

export interface CheckRecord {
  readonly record: 'use' | 'pod';
  readonly file: string;
  /** Line where the object starts in `file`. */
  readonly line: number;
  readonly object: ObjectIdentity;
  /** Container name (the volume name for an image volume); null for a pod-level finding. */
  readonly container: string | null;
  readonly path: string | null;
  /** The image as written. */
  readonly image: string | null;
  /** Canonical reference (docs/design.md §1.2); null when invalid or pod-level. */
  readonly reference: string | null;
  readonly outcome: RecordOutcome;
  readonly class: FindingClass | null;
  readonly verdict: Verdict;
  /** Cause and fix of the most severe finding, as in the webhook's denial message. */
  readonly message: string | null;
  /** Every finding of the use, most severe first. */
  readonly findings: readonly RecordFinding[];
  /** Manifest digest, when the registry found the image. */
  readonly digest?: string;
  /** Where the node finds the image, when not on the image's own registry (a mirror: docs/runtime.md). */
  readonly foundOn?: string;
  /** What a pod-level record is about, e.g. `pull secret shop/regcred`. */
  readonly subject?: string;
}

const SEVERITY: Readonly<Record<Verdict, number>> = { deny: 2, warn: 1, allow: 0 };

/** Records of every reviewed object, in input order: its image uses first, then its pod-level findings. */
export function checkRecords(checked: readonly CheckedObject[]): CheckRecord[] {
  return checked.flatMap(recordsOf);
}

function recordsOf({ target, outcome }: CheckedObject): CheckRecord[] {
  if (outcome.status !== 'reviewed') return [];
  const base = { file: target.file, line: target.line, object: target.identity };
  const findings = outcome.decision.findings;
  const recordFinding = (finding: DecidedFinding): RecordFinding => recordFindingOf(finding, outcome.runtime);
  const useRecords = outcome.uses.map((report): CheckRecord => {
    const own = bySeverity(
      findings.filter((f) => f.use !== undefined && (f.use === report.use || f.use.path === report.use.path)),
    );
    const digest = report.resolution?.outcome === 'found' ? report.resolution.digest : undefined;
    return {
      record: 'use',
      ...base,
      container: report.use.name,
      path: report.use.path,
      image: report.use.image,
      reference: report.canonical ?? null,
      outcome: outcomeOf(report),
      ...verdictOf(own[0]),
      findings: own.map(recordFinding),
      ...(digest ? { digest } : {}),
      ...(report.foundOn ? { foundOn: report.foundOn } : {}),
    };
  });
  const podRecords = findings
    .filter((f) => f.use === undefined)
    .map((finding): CheckRecord => ({
      record: 'pod',
      ...base,
      container: null,
      path: finding.path ?? null,
      image: null,
      reference: null,
      outcome: 'not-checked',
      ...verdictOf(finding),
      findings: [recordFinding(finding)],
      ...(finding.subject ? { subject: finding.subject } : {}),
    }));
  return [...useRecords, ...podRecords];
}

function outcomeOf(report: UseReport): RecordOutcome {
  if (report.resolution) return report.resolution.outcome;
  return report.skipped === 'invalid' ? 'invalid' : 'not-checked';
}

function verdictOf(finding: DecidedFinding | undefined): Pick<CheckRecord, 'class' | 'verdict' | 'message'> {
  if (!finding) return { class: null, verdict: 'allow', message: null };
  return { class: finding.class, verdict: finding.verdict, message: findingMessage(finding) };
}

function recordFindingOf(finding: DecidedFinding, runtime: QuotedRuntime): RecordFinding {
  const record = { class: finding.class, verdict: finding.verdict, message: findingMessage(finding) };
  const nodeError = finding.verdict === 'deny' ? nodeErrorLine(finding, runtime) : undefined;
  return nodeError ? { ...record, nodeError } : record;
}

/** Most severe first (deny, warn, allow); equal ones keep their order. */
export function bySeverity(findings: readonly DecidedFinding[]): DecidedFinding[] {
  return [...findings].sort((a, b) => SEVERITY[b.verdict] - SEVERITY[a.verdict]);
}

/** Cause and fix, exactly as a line of the webhook's denial message carries them. */
function findingMessage(finding: DecidedFinding): string {
  return finding.fix ? `${finding.cause} ${finding.fix}` : finding.cause;
}
