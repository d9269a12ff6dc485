/**
 * `-o json`: one JSON array of {@link OutputRecord}s on stdout (`[]` when nothing was read), and nothing else there
 * (notes and errors also go to stderr), so `pullguard check -o json | jq` always parses.
 */
import type { OutputRecord } from './output-records.js';

export function renderJson(records: readonly OutputRecord[]): string {
  return `${JSON.stringify(records, null, 2)}\n`;
}
