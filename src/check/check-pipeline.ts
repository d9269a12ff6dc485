/**
 * The stream of `pullguard check`: manifest entries in, one at a time; each document classified, each object reviewed
 * with at most a few in flight; each result handed on as soon as it and every one before it are done, so the output
 * keeps the input order and memory holds a bounded number of objects, however many documents the input has.
 */
import type { Classified, CheckTarget } from './classify-document.js';
import type { ManifestDocument, ManifestEntry } from './parse-manifests.js';
import { ManifestError } from './manifest-error.js';
import type { CheckedObject } from './run-checks.js';

/** Objects classified or reviewed but not yet handed on; each review also bounds its own image checks. */
const DEFAULT_IN_FLIGHT = 8;

/** One input as `check` met it, in input order: an entry that could not be read, an object skipped, or one reviewed. */
export type PipelineItem =
  | { readonly type: 'error'; readonly error: ManifestError }
  | { readonly type: 'skip'; readonly file: string; readonly line: number; readonly note: string }
  | { readonly type: 'checked'; readonly checked: CheckedObject };

export interface PipelineOptions {
  /** Document → object to check, note, or nothing (classify-document.ts). */
  readonly classify: (document: ManifestDocument) => Classified;
  readonly review: (target: CheckTarget) => Promise<CheckedObject>;
  /** Called once per item, in input order. */
  readonly onItem: (item: PipelineItem) => void;
  readonly inFlight?: number;
}

export async function runPipeline(entries: AsyncIterable<ManifestEntry>, options: PipelineOptions): Promise<void> {
  const limit = Math.max(1, options.inFlight ?? DEFAULT_IN_FLIGHT);
  const pending: Array<Promise<PipelineItem | undefined>> = [];
  const handOn = async (): Promise<void> => {
    const item = await pending.shift();
    if (item !== undefined) options.onItem(item);
  };
  for await (const entry of entries) {
    const next = itemOf(entry, options);
    // A failed review is a bug: it is rethrown when its turn comes, and must not count as unhandled before that.
    next.catch(() => {});
    pending.push(next);
    while (pending.length >= limit) await handOn();
  }
  while (pending.length > 0) await handOn();
}

async function itemOf(entry: ManifestEntry, options: PipelineOptions): Promise<PipelineItem | undefined> {
  if (entry instanceof ManifestError) return { type: 'error', error: entry };
  const classified = options.classify(entry);
  if (classified.type === 'skip') return { type: 'skip', file: entry.file, line: entry.line, note: classified.note };
  if (classified.type === 'check') return { type: 'checked', checked: await options.review(classified.target) };
  return undefined;
}
