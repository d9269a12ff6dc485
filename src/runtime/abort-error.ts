/** An error thrown because a signal aborted (a deadline, a caller giving up), as Node, fetch and undici raise it. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
