/**
 * `pullguard scan -o json`: the report as one JSON document, `apiVersion: pullguard.io/v1alpha1`,
 * `kind: ScanReport` (fields: docs/scan-json.md). Objects are rebuilt field by field, so the key order is stable and
 * absent fields are left out (never `null`). The C1 controls and the Unicode line separators, which JSON allows
 * raw, are escaped too, so printing the document to a terminal is as safe as parsing it. Pure.
 */
import type { ScanReport, ScanRow } from './scan-report.js';

const SCAN_API_VERSION = 'pullguard.io/v1alpha1';
const SCAN_KIND = 'ScanReport';

export function renderScanJson(report: ScanReport): string {
  const { summary } = report;
  const document = {
    apiVersion: SCAN_API_VERSION,
    kind: SCAN_KIND,
    summary: {
      images: summary.images,
      checks: summary.checks,
      uses: summary.uses,
      available: summary.outcomes.available,
      unavailable: summary.outcomes.unavailable,
      error: summary.outcomes.error,
      skipped: summary.outcomes.skipped,
    },
    uses: report.rows.map(rowJson),
    problems: report.problems.map((problem) => problem.message),
    notServed: [...report.notServed],
    capped: report.capped,
    stopped: report.stopped,
  };
  return `${JSON.stringify(document, null, 2).replace(RAW_IN_JSON, escapeChar)}\n`;
}

function rowJson(row: ScanRow): Record<string, string> {
  return {
    namespace: row.namespace,
    kind: row.kind,
    name: row.name,
    container: row.container,
    path: row.path,
    image: row.image,
    outcome: row.outcome,
    ...(row.class !== undefined ? { class: row.class } : {}),
    ...(row.message !== undefined ? { message: row.message } : {}),
  };
}

// Characters JSON.stringify leaves raw; built from code points so the source stays free of them.
const RAW_IN_JSON = new RegExp('[\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]', 'gu');

function escapeChar(char: string): string {
  return `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}
