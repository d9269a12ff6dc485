/**
 * `-o json`: one JSON array of {@link OutputRecord}s on stdout (`[]` when nothing was read), and nothing else there
 * (notes and errors also go to stderr), so `pullguard check -o json | jq` always parses. Written as the records come:
 * `[`, each record, `]`, byte for byte what `JSON.stringify(records, null, 2)` gives for the whole array.
 */
import type { OutputRecord } from './output-records.js';

export interface JsonWriter {
  write(records: readonly OutputRecord[]): void;
  /** Closes the array; the output is one JSON document from then on. */
  finish(): void;
}

export function createJsonWriter(out: (text: string) => void): JsonWriter {
  let count = 0;
  return {
    write(records) {
      for (const record of records) {
        // Each element indented one level, as JSON.stringify indents the members of an array.
        const element = JSON.stringify(record, null, 2).replaceAll('\n', '\n  ');
        out(`${count === 0 ? '[\n' : ',\n'}  ${element}`);
        count += 1;
      }
    },
    finish() {
      out(count === 0 ? '[]\n' : '\n]\n');
    },
  };
}
