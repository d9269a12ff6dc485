/**
 * Warning lines of docs/design.md §2.3. For the API server (the default): each at most 120 characters, no control
 * characters, no `Warning:` prefix (the API server silently drops warnings that break its rules), at most 10 plus one
 * summary line, and the short form of each finding. `pullguard check` asks for `full` lines instead: every warning with
 * its whole cause and fix, since a CI log has no such limits and no audit annotation to point at.
 */
import { describeUse, type DecidedFinding } from './finding.js';

export const MAX_WARNING_CHARS = 120;
const MAX_WARNINGS = 10;

export interface WarningOptions {
  /** Every warning, uncut, with its cause and fix (`pullguard check`); otherwise the API server's limits apply. */
  readonly full?: boolean;
}

export function renderWarnings(findings: readonly DecidedFinding[], options: WarningOptions = {}): string[] {
  const warnings = findings.filter((f) => f.verdict === 'warn');
  if (options.full) return [...new Set(warnings.map(renderFullWarning))];
  const lines = [...new Set(warnings.map(renderWarning))];
  if (lines.length <= MAX_WARNINGS) return lines;
  const rest = lines.length - MAX_WARNINGS;
  return [
    ...lines.slice(0, MAX_WARNINGS),
    `… and ${rest} more warning${rest === 1 ? '' : 's'} (see the audit annotation pullguard findings)`,
  ];
}

function renderWarning(finding: DecidedFinding): string {
  return sanitizeWarning(`${prefixOf(finding)}${finding.short}`);
}

function renderFullWarning(finding: DecidedFinding): string {
  const fix = finding.fix ? ` ${finding.fix}` : '';
  return cleanText(`${prefixOf(finding)}${finding.cause}${fix}`);
}

/** `would deny: container "app": ` — who the warning is about. */
function prefixOf(finding: DecidedFinding): string {
  const who = finding.use ? describeUse(finding.use) : (finding.subject ?? 'pod');
  return `${finding.softened ? 'would deny: ' : ''}${who}: `;
}

/** Removes control characters, collapses whitespace and cuts to 120 characters (code points, not UTF-16 units). */
export function sanitizeWarning(text: string): string {
  const clean = cleanText(text);
  const chars = [...clean];
  return chars.length <= MAX_WARNING_CHARS ? clean : `${chars.slice(0, MAX_WARNING_CHARS - 1).join('')}…`;
}

function cleanText(text: string): string {
  return text
    .toWellFormed()
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^warning:\s*/i, '');
}
