/**
 * Rendering comes last: a review outcome becomes the answer the webhook sends (allowed, message, warnings, audit
 * annotations) and the summary a log line carries.
 */
import type { AdmissionAnswer } from '../admission/build-response.js';
import { clip } from '../observability/bounded-text.js';
import { auditFindings, findingRecords, type AuditFinding } from '../policy/audit-findings.js';
import { renderDenial } from '../policy/render-denial.js';
import { renderWarnings } from '../policy/render-warnings.js';
import type { ReviewOutcome } from './review-object.js';

export function answerFor(outcome: ReviewOutcome): AdmissionAnswer {
  if (outcome.status !== 'reviewed') return { allowed: true };
  const { decision } = outcome;
  const warnings = renderWarnings(decision.findings);
  const auditAnnotations = auditFindings(decision.findings);
  if (decision.verdict !== 'deny') return { allowed: true, warnings, auditAnnotations };
  const message = renderDenial(decision.findings, {
    objectLabel: outcome.objectLabel,
    checkedUses: outcome.checkedUses,
    runtime: outcome.runtime,
  });
  return { allowed: false, message, warnings, auditAnnotations };
}

/** At most this many findings go into one review's log line; the rest are counted. */
const MAX_LOGGED_FINDINGS = 32;
/** A finding's path, subject or reference: the longest canonical reference is about 500 characters. */
const MAX_FIELD = 512;

/**
 * Findings for the one log line per review: references and classes, never credentials or messages. Bounded, since
 * subjects and references quote the object: at most MAX_LOGGED_FINDINGS records (then `{class: 'truncated',
 * omitted}`, as in the audit annotation) of bounded fields.
 */
export function logFindings(outcome: ReviewOutcome): readonly object[] {
  if (outcome.status !== 'reviewed') return [];
  const records = findingRecords(outcome.decision.findings);
  // The warm path: a few short records are logged as they are, without a copy.
  if (records.length <= MAX_LOGGED_FINDINGS && records.every(isShort)) return records;
  const kept = records.slice(0, MAX_LOGGED_FINDINGS).map(bounded);
  return records.length > MAX_LOGGED_FINDINGS
    ? [...kept, { class: 'truncated', omitted: records.length - kept.length }]
    : kept;
}

function isShort(record: AuditFinding): boolean {
  return (
    (record.path?.length ?? 0) <= MAX_FIELD &&
    (record.subject?.length ?? 0) <= MAX_FIELD &&
    (record.reference?.length ?? 0) <= MAX_FIELD
  );
}

function bounded(record: AuditFinding): AuditFinding {
  return {
    ...record,
    ...(record.path !== undefined ? { path: clip(record.path, MAX_FIELD) } : {}),
    ...(record.subject !== undefined ? { subject: clip(record.subject, MAX_FIELD) } : {}),
    ...(record.reference !== undefined ? { reference: clip(record.reference, MAX_FIELD) } : {}),
  };
}
