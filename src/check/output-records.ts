/**
 * Everything `pullguard check` read, in input order, as the records of `-o json` (docs/ci.md): the image-use and
 * pod-level records of each reviewed object ({@link CheckRecord}), an `error` record for each input, document or object
 * that could not be read or checked, and a `skip` record for each object not checked. Pure.
 */
import { checkRecords, type CheckRecord } from './check-records.js';
import type { PipelineItem } from './check-pipeline.js';
import type { CheckTarget, ObjectIdentity } from './classify-document.js';
import type { ManifestError } from './manifest-error.js';
import type { CheckedObject } from './run-checks.js';

export interface ErrorRecord {
  readonly record: 'error';
  readonly file: string;
  readonly line: number | null;
  readonly column: number | null;
  /** The object, when the document was read but the object is malformed. */
  readonly object: ObjectIdentity | null;
  /** A docs/errors.md code, for an input that could not be read. */
  readonly code: string | null;
  readonly message: string;
}

export interface SkipRecord {
  readonly record: 'skip';
  readonly file: string;
  readonly line: number;
  readonly object: ObjectIdentity | null;
  readonly message: string;
}

export type OutputRecord = CheckRecord | ErrorRecord | SkipRecord;

/** One input as `check` met it, in order; `check` items are reviewed and come back as {@link CheckedObject}s. */
export type InputItem =
  | { readonly type: 'error'; readonly error: ManifestError }
  | { readonly type: 'skip'; readonly file: string; readonly line: number; readonly note: string }
  | { readonly type: 'check'; readonly target: CheckTarget };

/** `checked` holds the outcome of each `check` item, in the same order. */
export function outputRecords(items: readonly InputItem[], checked: readonly CheckedObject[]): OutputRecord[] {
  const outcomes = new Map(checked.map((c) => [c.target, c]));
  return items.flatMap((item): OutputRecord[] => {
    if (item.type !== 'check') return itemRecords(item);
    const result = outcomes.get(item.target);
    return result ? itemRecords({ type: 'checked', checked: result }) : [];
  });
}

/** The records of one item of the stream (check-pipeline.ts). */
export function itemRecords(item: PipelineItem): OutputRecord[] {
  if (item.type === 'error') return [errorRecord(item.error)];
  if (item.type === 'skip')
    return [{ record: 'skip', file: item.file, line: item.line, object: null, message: item.note }];
  const { target, outcome } = item.checked;
  if (outcome.status === 'reviewed') return checkRecords([item.checked]);
  const where = { file: target.file, line: target.line, object: target.identity };
  if (outcome.status === 'skipped') return [{ record: 'skip', ...where, message: outcome.reason }];
  return [{ record: 'error', ...where, column: null, code: null, message: outcome.problem }];
}

function errorRecord(error: ManifestError): ErrorRecord {
  return {
    record: 'error',
    file: error.file,
    line: error.line ?? null,
    column: error.column ?? null,
    object: null,
    code: error.code,
    message: error.message,
  };
}
