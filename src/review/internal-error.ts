/**
 * An unexpected error (a bug, or an input that trips a runtime limit such as a regular expression's backtrack stack)
 * fails only the image or the step it happened in: it becomes a finding of class `unreachable` (a warning by
 * default, like every other "could not verify"), and the rest of the review still runs and can still deny.
 */
import type { Finding } from '../policy/finding.js';
import type { ImageUse } from '../workload/image-use.js';

/** Where unexpected errors are reported; a pino logger fits. */
export interface ReviewLog {
  warn(details: object, message: string): void;
}

/** The longest image text quoted back in a cause and in a (120-character) warning line: an image can be megabytes. */
const CAUSE_CHARS = 120;
const SHORT_CHARS = 60;

/** The finding for one image use whose check failed unexpectedly (`canonical`: its canonical reference, if it parsed). */
export function imageInternalError(use: ImageUse, canonical: string | undefined): Finding {
  const name = (max: number) => clip(canonical ?? JSON.stringify(clip(use.image, max)), max + 2);
  return {
    class: 'unreachable',
    use,
    ...(canonical ? { canonical } : {}),
    cause: `pullguard hit an internal error while checking ${name(CAUSE_CHARS)}; the image was admitted unverified.`,
    short: `internal error checking ${name(SHORT_CHARS)}; admitted anyway`,
  };
}

/** A pod-level step (credentials, platforms) that failed unexpectedly; `effect` says what that means. */
export function stepInternalError(subject: string, effect: string): Finding {
  return {
    class: 'unreachable',
    subject,
    cause: `pullguard could not work out the ${subject} (internal error); ${effect}.`,
    short: `could not work out the ${subject} (internal error); ${effect}`,
  };
}

/**
 * Logs an unexpected error by name and code only: a message or stack may quote the input (an image, a secret's
 * JSON), and inputs are the tenant's, not the log's.
 */
export function logUnexpected(log: ReviewLog | undefined, error: unknown, step: string): void {
  const name = error instanceof Error && /^[A-Za-z]{1,64}$/.test(error.name) ? error.name : 'unknown';
  const code = (error as { code?: unknown } | null)?.code;
  const safeCode = typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? code : undefined;
  log?.warn({ step, error: { name, ...(safeCode ? { code: safeCode } : {}) } }, 'unexpected error during review');
}

/** At most `max` code points (a cut string ends in `…`), reading only as much of `text` as that needs. */
function clip(text: string, max: number): string {
  const chars = [...text.slice(0, max * 2 + 2)];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
