/**
 * Rendering comes last: a review outcome becomes the answer the webhook sends (allowed, message, warnings, audit
 * annotations) and the summary a log line carries.
 */
import type { AdmissionAnswer } from '../admission/build-response.js';
import { auditFindings, findingRecords } from '../policy/audit-findings.js';
import { renderDenial } from '../policy/render-denial.js';
import { renderWarnings } from '../policy/render-warnings.js';
import type { ReviewOutcome } from './review-object.js';

export function answerFor(outcome: ReviewOutcome): AdmissionAnswer {
  if (outcome.status !== 'reviewed') return { allowed: true };
  const { decision } = outcome;
  const warnings = renderWarnings(decision.findings);
  const auditAnnotations = auditFindings(decision.findings);
  if (decision.decision !== 'deny') return { allowed: true, warnings, auditAnnotations };
  const message = renderDenial(decision.findings, { objectLabel: outcome.objectLabel, checkedUses: outcome.checkedUses });
  return { allowed: false, message, warnings, auditAnnotations };
}

/** Findings for the one log line per review: references and classes, never credentials or messages. */
export function logFindings(outcome: ReviewOutcome): readonly object[] {
  return outcome.status === 'reviewed' ? findingRecords(outcome.decision.findings) : [];
}
