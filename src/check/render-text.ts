/**
 * `-o text`: the outcome of each object, grouped by file, in the webhook's own words (the denial message of
 * docs/design.md §2.2 and the warning lines of §2.3, in full: a CI log has none of the API server's limits), then one
 * summary line. Colour is the caller's choice. Pure.
 */
import { renderDenial } from '../policy/render-denial.js';
import { renderWarnings } from '../policy/render-warnings.js';
import type { CheckRecord } from './check-records.js';
import type { CheckedObject } from './run-checks.js';

export interface TextOptions {
  /** ANSI colours (only when stdout is a terminal and NO_COLOR is unset). */
  readonly color: boolean;
  /** `--offline`: say in the summary that no registry was asked. */
  readonly offline: boolean;
  /** Inputs (files, documents) that could not be read; each was reported on stderr with its file and line. */
  readonly inputErrors?: number;
}

type Tone = 'deny' | 'warn' | 'allow' | 'muted' | 'bold';
const ANSI: Readonly<Record<Tone, string>> = {
  deny: '\u001b[31m',
  warn: '\u001b[33m',
  allow: '\u001b[32m',
  muted: '\u001b[2m',
  bold: '\u001b[1m',
};
const RESET = '\u001b[0m';
const INDENT = '        ';

export function renderText(
  checked: readonly CheckedObject[],
  records: readonly CheckRecord[],
  options: TextOptions,
): string {
  const paint = (tone: Tone, text: string): string => (options.color ? `${ANSI[tone]}${text}${RESET}` : text);
  const lines: string[] = [];
  let currentFile: string | undefined;
  for (const item of checked) {
    if (item.target.file !== currentFile) {
      currentFile = item.target.file;
      lines.push(paint('bold', currentFile));
    }
    lines.push(...objectLines(item, paint));
  }
  lines.push(summaryLine(checked, records, options.offline, options.inputErrors));
  return `${lines.join('\n')}\n`;
}

function objectLines(item: CheckedObject, paint: (tone: Tone, text: string) => string): string[] {
  const { target, outcome } = item;
  const at = `(line ${target.line})`;
  if (outcome.status === 'skipped')
    return [`  ${paint('muted', 'SKIP ')} ${identityLabel(item)} ${at}: ${outcome.reason}`];
  if (outcome.status === 'invalid')
    return [`  ${paint('deny', 'ERROR')} ${identityLabel(item)} ${at}: ${outcome.problem}`];
  const { decision, objectLabel, checkedUses, uses } = outcome;
  const warnings = renderWarnings(decision.findings, { full: true }).map(
    (w) => `${INDENT}${paint('warn', 'warning:')} ${w}`,
  );
  if (decision.verdict === 'deny') {
    const denial = renderDenial(decision.findings, { objectLabel, checkedUses, full: true }).split('\n');
    return [`  ${paint('deny', 'DENY ')} ${objectLabel} ${at}`, ...denial.map((l) => `${INDENT}${l}`), ...warnings];
  }
  const references = uses.map((u) => u.canonical ?? JSON.stringify(u.use.image));
  const images = references.length === 0 ? 'no images' : [...new Set(references)].join(', ');
  const label = decision.verdict === 'warn' ? paint('warn', 'WARN ') : paint('allow', 'OK   ');
  return [`  ${label} ${objectLabel} ${at}: ${images}`, ...warnings];
}

/** `Deployment shop/web`, for lines about a whole object. */
export function identityLabel({ target }: Pick<CheckedObject, 'target'>): string {
  const { kind, namespace, name } = target.identity;
  return `${kind} ${namespace}/${name || '<unnamed>'}`;
}

/** `3 objects, 7 images: 1 denied, 2 warnings`, counting records (image uses and pod-level problems) by verdict. */
export function summaryLine(
  checked: readonly CheckedObject[],
  records: readonly CheckRecord[],
  offline = false,
  inputErrors = 0,
): string {
  const reviewed = checked.filter((c) => c.outcome.status === 'reviewed');
  const images = reviewed.reduce((sum, c) => sum + (c.outcome.status === 'reviewed' ? c.outcome.uses.length : 0), 0);
  const denied = records.filter((r) => r.verdict === 'deny').length;
  const warnings = records.filter((r) => r.verdict === 'warn').length;
  const skipped = checked.filter((c) => c.outcome.status === 'skipped').length;
  const invalid = checked.filter((c) => c.outcome.status === 'invalid').length;
  const extras = [
    skipped ? `${skipped} skipped` : '',
    invalid ? `${invalid} invalid` : '',
    inputErrors ? plural(inputErrors, 'input error') : '',
  ].filter(Boolean);
  return (
    `${plural(reviewed.length, 'object')}, ${plural(images, 'image')}: ${denied} denied, ${plural(warnings, 'warning')}` +
    (extras.length ? `; ${extras.join(', ')}` : '') +
    (offline ? ' (offline: registries not checked)' : '')
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
