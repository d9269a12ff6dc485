/** The review's deadline around one registry ask: a direct image's, or each endpoint's of a node route. */
import type { Resolution } from '../resolution/resolution.js';

/**
 * Resolves to a timeout outcome when the review's deadline fires first, whatever the resolver does; work queued
 * behind slower images is not started at all once the deadline has passed.
 */
export async function withDeadline(
  start: () => Promise<Resolution>,
  signal: AbortSignal,
  elapsed: () => number,
): Promise<Resolution> {
  if (signal.aborted) return { outcome: 'timeout', afterMs: elapsed() };
  const work = start();
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<Resolution>((resolve) => {
    onAbort = () => resolve({ outcome: 'timeout', afterMs: elapsed() });
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
