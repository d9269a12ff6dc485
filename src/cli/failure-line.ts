/** The one line `pullguard` prints on stderr when a command fails (docs/errors.md). */
import { PullguardError } from '../errors/pullguard-error.js';

/**
 * A {@link PullguardError} is its message (what failed, which file or flag, the fix); anything else is a bug, named
 * as one, with the way to get its stack. Never more than one line.
 */
export function failureLine(error: unknown): string {
  if (error instanceof PullguardError) return oneLine(error.message);
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `unexpected error: ${oneLine(text)} (set PULLGUARD_DEBUG=1 for the stack trace)`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
