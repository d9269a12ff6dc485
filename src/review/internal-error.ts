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

/** The longest image text quoted back: an image can be megabytes long. */
const MAX_QUOTED_CHARS = 80;

/** The finding for one image use whose check failed unexpectedly. */
export function imageInternalError(use: ImageUse, reference: string | undefined): Finding {
  const name = reference ?? quoted(use.image);
  return {
    class: 'unreachable',
    use,
    ...(reference ? { reference } : {}),
    cause: `pullguard could not check ${name} (internal error); it was admitted unverified.`,
    short: `pullguard could not check ${name} (internal error); admitted anyway`,
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

function quoted(image: string): string {
  const chars = [...image.slice(0, MAX_QUOTED_CHARS * 2)];
  return JSON.stringify(chars.length > MAX_QUOTED_CHARS ? `${chars.slice(0, MAX_QUOTED_CHARS - 1).join('')}…` : image);
}
