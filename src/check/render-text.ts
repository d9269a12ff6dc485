/**
 * `-o text`: the outcome of each object, written as it comes and grouped by file, in the webhook's own words (the denial message of
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

export interface TextWriter {
  /** One object and its records: its lines are written now (under a file heading when the file changes). */
  write(item: CheckedObject, records: readonly CheckRecord[]): void;
  /** The summary line; `inputErrors` counts the inputs (files, documents) that could not be read. */
  finish(inputErrors?: number): void;
}

/** Writes each object's lines as it comes and keeps only the counts the summary needs. */
export function createTextWriter(out: (text: string) => void, options: TextOptions): TextWriter {
  const paint = (tone: Tone, text: string): string => (options.color ? `${ANSI[tone]}${text}${RESET}` : text);
  const tally = emptyTally();
  let currentFile: string | undefined;
  return {
    write(item, records) {
      const lines: string[] = [];
      if (item.target.file !== currentFile) {
        currentFile = item.target.file;
        lines.push(paint('bold', currentFile));
      }
      lines.push(...objectLines(item, paint));
      out(`${lines.join('\n')}\n`);
      addToTally(tally, item, records);
    },
    finish(inputErrors = 0) {
      out(`${tallyLine(tally, options.offline, inputErrors)}\n`);
    },
  };
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
    const denial = renderDenial(decision.findings, {
      objectLabel,
      checkedUses,
      full: true,
      runtime: outcome.runtime,
    }).split('\n');
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

interface Tally {
  objects: number;
  images: number;
  denied: number;
  warnings: number;
  skipped: number;
  invalid: number;
}

function emptyTally(): Tally {
  return { objects: 0, images: 0, denied: 0, warnings: 0, skipped: 0, invalid: 0 };
}

function addToTally(tally: Tally, { outcome }: CheckedObject, records: readonly CheckRecord[]): void {
  if (outcome.status === 'reviewed') {
    tally.objects += 1;
    tally.images += outcome.uses.length;
  } else if (outcome.status === 'skipped') tally.skipped += 1;
  else tally.invalid += 1;
  tally.denied += records.filter((r) => r.verdict === 'deny').length;
  tally.warnings += records.filter((r) => r.verdict === 'warn').length;
}

/** `3 objects, 7 images: 1 denied, 2 warnings`, counting records (image uses and pod-level problems) by verdict. */
function tallyLine(tally: Tally, offline: boolean, inputErrors: number): string {
  const extras = [
    tally.skipped ? `${tally.skipped} skipped` : '',
    tally.invalid ? `${tally.invalid} invalid` : '',
    inputErrors ? plural(inputErrors, 'input error') : '',
  ].filter(Boolean);
  return (
    `${plural(tally.objects, 'object')}, ${plural(tally.images, 'image')}: ${tally.denied} denied, ` +
    `${plural(tally.warnings, 'warning')}` +
    (extras.length ? `; ${extras.join(', ')}` : '') +
    (offline ? ' (offline: registries not checked)' : '')
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
