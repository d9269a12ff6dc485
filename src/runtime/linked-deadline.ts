/**
 * A signal that aborts when its parent aborts or when `ms` pass, with `release()` to drop both links once the work
 * is done.
 *
 * Why not `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: Node keeps a composite or timeout signal that has
 * abort listeners in an internal set until it aborts (lib/internal/abort_controller.js, `gcPersistentSignals`), and
 * undici leaves its listener on the signal of a finished request. Every completed registry request then leaked its
 * signal (about 2 KB each: P5 in bench/), and a timeout signal's timer cannot be cancelled.
 */
export interface LinkedDeadline {
  readonly signal: AbortSignal;
  /** True when this deadline's own timer fired (as opposed to the parent aborting). */
  timedOut(): boolean;
  /** Clears the timer and detaches from the parent; call it when the guarded work is over. Idempotent. */
  release(): void;
}

export function linkedDeadline(
  parent: AbortSignal | undefined,
  ms: number,
  what = 'deadline exceeded',
): LinkedDeadline {
  const controller = new AbortController();
  let fired = false;
  const onParentAbort = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  const timer = setTimeout(() => {
    fired = true;
    controller.abort(new DOMException(what, 'TimeoutError'));
  }, ms);
  timer.unref();
  return {
    signal: controller.signal,
    timedOut: () => fired,
    release: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
