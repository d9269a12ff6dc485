/** One line of the bench table, and the table itself. */

export interface FigureRow {
  readonly id: string;
  readonly figure: string;
  /** What pullguard measured, with its unit. */
  readonly value: string;
  /** The same-run baseline it is divided by, with its unit ('-' when the target is absolute). */
  readonly baseline: string;
  readonly ratio: number;
  readonly target: string;
  /** `reported` figures are printed but never fail the run (P6). */
  readonly pass: boolean | 'reported';
  /** Extra facts worth keeping next to the figure (counts, percentiles). */
  readonly notes: readonly string[];
}

/** A row for a figure that could not be measured at all. */
export function failedRow(id: string, figure: string, target: string, error: unknown): FigureRow {
  const message = error instanceof Error ? error.message : String(error);
  return {
    id,
    figure,
    value: 'error',
    baseline: '-',
    ratio: Number.NaN,
    target,
    pass: false,
    notes: [message.split('\n').slice(0, 6).join(' | ')],
  };
}

const HEADERS = ['id', 'figure', 'value', 'baseline', 'ratio', 'target', 'pass'] as const;

/** The table `id | figure | value | baseline | ratio | target | pass`, then the notes of each row. */
export function renderTable(rows: readonly FigureRow[]): string {
  const cells = rows.map((row) => [
    row.id,
    row.figure,
    row.value,
    row.baseline,
    Number.isNaN(row.ratio) ? '-' : row.ratio.toFixed(3),
    row.target,
    row.pass === 'reported' ? 'reported' : row.pass ? 'yes' : 'NO',
  ]);
  const widths = HEADERS.map((header, i) => Math.max(header.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (values: readonly string[]) => `| ${values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const separator = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const notes = rows.flatMap((row) => row.notes.map((note) => `  ${row.id}: ${note}`));
  return [line(HEADERS), separator, ...cells.map(line), '', ...notes].join('\n');
}
