/**
 * Manifest text → Kubernetes documents, each with its file and line. Multi-document YAML and JSON (JSON is parsed as
 * YAML, which is how kubectl reads it too); `List` and `*List` kinds are unpacked into their items. Read as kubectl's
 * go-yaml reads them (docs/ci.md "What is read, and how"): YAML 1.1 merge keys, quoted scalars continued at any
 * indentation, aliases bounded by what they expand to; a Helm template is named as such. Pure.
 */
import { fastDocuments } from './fast-documents.js';
import type { ManifestEntry } from './list-shape.js';

export type { ManifestDocument, ManifestEntry } from './list-shape.js';

/**
 * Every document of `text`, in order, one at a time. A document that cannot be read becomes a {@link ManifestError}
 * with the file, line and column, in its place; the documents around it are still read. Plain documents are read by
 * the fast reader; from the first one it cannot vouch for, the precise reader reads the rest of the file. The precise
 * reader and its YAML library (some 70 modules) are loaded only then, so checking plain manifests starts without
 * them (P9, docs/benchmarks.md).
 */
export async function* manifestEntries(text: string, file: string): AsyncGenerator<ManifestEntry> {
  for (const result of fastDocuments(text)) {
    if (result.kind === 'document') {
      yield { file, line: result.line, value: result.value };
      continue;
    }
    const { preciseEntries } = await import('./precise-reader.js');
    // The precise reader's documents from that line on: the ones before it were read above, with the same result.
    for (const entry of preciseEntries(text, file))
      if (entry.line === undefined || entry.line >= result.fromLine) yield entry;
    return;
  }
}

/** {@link manifestEntries}, all at once. */
export async function parseManifestText(text: string, file: string): Promise<ManifestEntry[]> {
  const entries: ManifestEntry[] = [];
  for await (const entry of manifestEntries(text, file)) entries.push(entry);
  return entries;
}
