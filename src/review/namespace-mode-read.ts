/**
 * Reading the namespace's `pullguard.io/mode` label for one review. The read starts when the review starts,
 * alongside the credential and registry work, and has the whole review deadline of its own: registry work cannot
 * use its time up, and a slow read is still answered. A read that fails or outlives the deadline is `unknown`, and
 * what that means (denials become warnings) is decided in decide-stage.ts, the same whether or not the label was
 * cached before.
 */
import type { NamespaceMode } from '../policy/namespace-mode.js';
import type { NamespaceModePort } from './ports.js';

export type ModeRead =
  | { readonly known: true; readonly mode: NamespaceMode | undefined }
  | { readonly known: false; readonly why: 'timeout' | 'failed' };

export interface PendingModeRead {
  /** The answer, when the port had it at once (a watched or locally known label). */
  readonly now: ModeRead | undefined;
  /** Settles with the answer, or `timeout` once the review's deadline fires; never rejects. */
  readonly result: Promise<ModeRead>;
}

const TIMED_OUT: ModeRead = Object.freeze({ known: false, why: 'timeout' });
const FAILED: ModeRead = Object.freeze({ known: false, why: 'failed' });

export function startModeRead(port: NamespaceModePort, namespace: string, signal: AbortSignal): PendingModeRead {
  let answer: Promise<NamespaceMode | undefined>;
  try {
    const local = port.known?.(namespace);
    if (local) return settled(known(local.mode));
    answer = port(namespace, signal);
  } catch (error) {
    return settled(failure(error, signal));
  }
  const result = new Promise<ModeRead>((resolve) => {
    const onAbort = (): void => resolve(TIMED_OUT);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    // `known`, `failure`, `resolve` and removeEventListener cannot throw: the chain never rejects.
    void Promise.resolve(answer)
      .then(known, (error: unknown) => failure(error, signal))
      .then(resolve)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
  return { now: undefined, result };
}

function settled(read: ModeRead): PendingModeRead {
  return { now: read, result: Promise.resolve(read) };
}

/** Only the three documented values count; anything else is "no label" (the global mode). */
function known(mode: unknown): ModeRead {
  return { known: true, mode: mode === 'warn' || mode === 'enforce' || mode === 'off' ? mode : undefined };
}

/** A read that gave up because time ran out is a timeout; anything else is a failure. */
function failure(error: unknown, signal: AbortSignal): ModeRead {
  return signal.aborted || (error instanceof Error && error.name === 'TimeoutError') ? TIMED_OUT : FAILED;
}
