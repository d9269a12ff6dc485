/**
 * The machine-readable findings for `auditAnnotations` (docs/design.md §2.4). The API server prefixes the key with the
 * webhook name, so it lands as `images.pullguard.io/findings`. Bounded, because audit backends cap event sizes.
 */
import type { DecidedFinding } from './finding.js';

const AUDIT_FINDINGS_KEY = 'findings';
const MAX_AUDIT_BYTES = 8192;

export interface AuditFinding {
  readonly path?: string;
  readonly subject?: string;
  readonly reference?: string;
  readonly class: string;
  readonly outcome?: string;
  /** The finding's verdict, under the field name the annotation and the log line have always used. */
  readonly action: string;
}

// The audit annotation and the review's log line both want the records of one decision: build them once.
const recordsOf = new WeakMap<readonly DecidedFinding[], readonly AuditFinding[]>();
const NO_RECORDS: readonly AuditFinding[] = Object.freeze([]);

/** One record per finding: where, what, which class and verdict; never a credential or a message. */
export function findingRecords(findings: readonly DecidedFinding[]): readonly AuditFinding[] {
  // Most reviews find nothing; a WeakMap entry keyed by each review's fresh empty list only costs the GC work.
  if (findings.length === 0) return NO_RECORDS;
  let records = recordsOf.get(findings);
  if (records === undefined) {
    records = Object.freeze(findings.map(record));
    recordsOf.set(findings, records);
  }
  return records;
}

function record(f: DecidedFinding): AuditFinding {
  return {
    ...(f.use ? { path: f.use.path } : {}),
    ...(f.subject ? { subject: f.subject } : {}),
    ...(f.canonical ? { reference: f.canonical } : {}),
    class: f.class,
    ...(f.outcome ? { outcome: f.outcome } : {}),
    action: f.verdict,
  };
}

export function auditFindings(findings: readonly DecidedFinding[]): Record<string, string> {
  if (findings.length === 0) return {};
  const records = findingRecords(findings);
  let kept = records;
  let text = JSON.stringify(kept);
  while (Buffer.byteLength(text) > MAX_AUDIT_BYTES && kept.length > 1) {
    kept = kept.slice(0, Math.ceil(kept.length / 2));
    text = JSON.stringify([...kept, { class: 'truncated', omitted: records.length - kept.length }]);
  }
  return { [AUDIT_FINDINGS_KEY]: text };
}
