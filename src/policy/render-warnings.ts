/**
 * Warning lines of docs/design.md §2.3: each at most 120 characters, no control characters, no `Warning:` prefix (the
 * API server silently drops warnings that break its rules), at most 10 plus one summary line.
 */
import { describeUse, type DecidedFinding } from './finding.js';

export const MAX_WARNING_CHARS = 120;
const MAX_WARNINGS = 10;

export function renderWarnings(findings: readonly DecidedFinding[]): string[] {
  const lines = [...new Set(findings.filter((f) => f.verdict === 'warn').map(renderWarning))];
  if (lines.length <= MAX_WARNINGS) return lines;
  const rest = lines.length - MAX_WARNINGS;
  return [
    ...lines.slice(0, MAX_WARNINGS),
    `… and ${rest} more warning${rest === 1 ? '' : 's'} (see the audit annotation pullguard findings)`,
  ];
}

function renderWarning(finding: DecidedFinding): string {
  const who = finding.use ? describeUse(finding.use) : (finding.subject ?? 'pod');
  const prefix = finding.softened ? 'would deny: ' : '';
  return sanitizeWarning(`${prefix}${who}: ${finding.short}`);
}

/** Removes control characters, collapses whitespace and cuts to 120 characters (code points, not UTF-16 units). */
export function sanitizeWarning(text: string): string {
  const clean = text
    .toWellFormed()
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^warning:\s*/i, '');
  const chars = [...clean];
  return chars.length <= MAX_WARNING_CHARS ? clean : `${chars.slice(0, MAX_WARNING_CHARS - 1).join('')}…`;
}
