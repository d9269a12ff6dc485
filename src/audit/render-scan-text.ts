/**
 * `pullguard scan`'s text output: a kubectl-like table (NAMESPACE KIND NAME CONTAINER IMAGE STATUS), failing rows
 * first, then one block per failing use with the finding's message, the summary line, and what could not be listed
 * or read. Every text from the cluster (names, images, messages) is made terminal-safe (terminal-text.ts). Colour
 * only when the caller says so (a terminal, NO_COLOR unset). Pure.
 */
import { safeLines, safeText } from '../diagnose/terminal-text.js';
import { SCAN_OUTCOMES, type ScanOutcome, type ScanReport, type ScanRow } from './scan-report.js';

export interface ScanTextOptions {
  readonly color: boolean;
}

const ANSI: Readonly<Record<ScanOutcome | 'heading', string>> = {
  unavailable: '\u001b[31m',
  error: '\u001b[33m',
  skipped: '\u001b[2m',
  available: '\u001b[32m',
  heading: '\u001b[1m',
};
const RESET = '\u001b[0m';
const HEADERS = ['NAMESPACE', 'KIND', 'NAME', 'CONTAINER', 'IMAGE', 'STATUS'] as const;
const COLUMN_GAP = '   ';

type Paint = (tone: ScanOutcome | 'heading', text: string) => string;

/** The whole report as text, ending with a line feed. */
export function renderScanText(report: ScanReport, options: ScanTextOptions): string {
  const paint: Paint = (tone, text) => (options.color ? `${ANSI[tone]}${text}${RESET}` : text);
  const rows = [...report.rows].sort((a, b) => SCAN_OUTCOMES.indexOf(a.outcome) - SCAN_OUTCOMES.indexOf(b.outcome));
  const failing = rows.filter((row) => row.outcome === 'unavailable' || row.outcome === 'error');
  const lines = [
    ...(rows.length > 0 ? table(rows, paint) : ['No image uses found.']),
    ...failing.flatMap((row) => ['', ...failingBlock(row, paint)]),
    '',
    summaryLine(report),
    ...section(
      'Could not list or read:',
      report.problems.map((problem) => problem.message),
      paint,
    ),
    ...notServedLine(report.notServed),
    ...(report.capped ? ['', 'The cluster holds more than one scan reads: not every workload was checked.'] : []),
    ...(report.stopped ? ['', 'Stopped before every check finished.'] : []),
  ];
  return `${lines.join('\n')}\n`;
}

function table(rows: readonly ScanRow[], paint: Paint): string[] {
  const cells = rows.map((row) => [
    safeText(row.namespace),
    safeText(row.kind),
    safeText(row.name),
    safeText(row.container === '' ? '-' : row.container),
    safeText(row.image),
    statusOf(row),
  ]);
  const widths = HEADERS.map((header, i) => Math.max(header.length, ...cells.map((cell) => cell[i]?.length ?? 0)));
  const line = (values: readonly string[], status: (text: string) => string): string =>
    [...values.slice(0, -1).map((value, i) => value.padEnd(widths[i] ?? 0)), status(values.at(-1) ?? '')]
      .join(COLUMN_GAP)
      .trimEnd();
  return [
    line(HEADERS, (text) => text),
    ...cells.map((cell, i) => line(cell, (text) => paint(rows[i]?.outcome ?? 'available', text))),
  ];
}

function statusOf(row: ScanRow): string {
  return row.outcome === 'unavailable' && row.class !== undefined ? `unavailable (${row.class})` : row.outcome;
}

function failingBlock(row: ScanRow, paint: Paint): string[] {
  const container = row.container === '' ? row.path : `"${safeText(row.container)}" (${safeText(row.path)})`;
  const heading = `${safeText(row.kind)} ${safeText(row.namespace)}/${safeText(row.name)}, ${container}`;
  const label = row.outcome === 'unavailable' ? (row.class ?? 'unavailable') : 'not checked';
  const [first = '', ...rest] = safeLines(row.message ?? 'no answer');
  return [
    paint('heading', heading),
    `  image: ${safeText(row.image)}`,
    `  ${paint(row.outcome, label)}: ${first}`,
    ...rest.map((text) => `    ${text}`),
  ];
}

function summaryLine(report: ScanReport): string {
  const { images, checks, uses, outcomes } = report.summary;
  const counts = SCAN_OUTCOMES.map((outcome) => `${outcomes[outcome]} ${outcome}`).join(', ');
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${plural(images, 'image')} (${plural(checks, 'check')}) in ${plural(uses, 'use')}: ${counts}.`;
}

/** Most clusters serve few of the custom resources pullguard knows: a count, not a list (`-o json` lists them). */
function notServedLine(notServed: readonly string[]): string[] {
  if (notServed.length === 0) return [];
  const what = notServed.length === 1 ? 'custom resource kind' : 'custom resource kinds';
  return [
    '',
    `${notServed.length} ${what} pullguard knows ${notServed.length === 1 ? 'is' : 'are'} not installed here (listed in -o json).`,
  ];
}

function section(heading: string, entries: readonly string[], paint: Paint): string[] {
  if (entries.length === 0) return [];
  return ['', paint('heading', heading), ...entries.flatMap((entry) => safeLines(entry).map((text) => `  ${text}`))];
}
