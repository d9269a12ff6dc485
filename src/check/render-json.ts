/**
 * `-o json`: one JSON array of {@link CheckRecord}s on stdout, and nothing else there (notes and errors go to stderr),
 * so `pullguard check -o json | jq` always parses.
 */
import type { CheckRecord } from './check-records.js';

export function renderJson(records: readonly CheckRecord[]): string {
  return `${JSON.stringify(records, null, 2)}\n`;
}
