/** The one line `pullguard` prints on stderr when a command fails (docs/errors.md). */
import { inspect } from 'node:util';
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

/** Where a command reports its failure: stderr, and the environment that may ask for a bug's stack. */
export interface FailureOutput {
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Writes `<program>: <failure line>` on stderr, plus an unexpected error's stack with `PULLGUARD_DEBUG=1`. */
export function reportFailure(io: FailureOutput, program: string, error: unknown): void {
  io.stderr.write(`${program}: ${failureLine(error)}\n`);
  if (!(error instanceof PullguardError) && io.env['PULLGUARD_DEBUG'] === '1') io.stderr.write(`${inspect(error)}\n`);
}
