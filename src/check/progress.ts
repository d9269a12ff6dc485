/**
 * A one-line progress counter on stderr for large inputs, only on a terminal: CI logs and pipes stay clean.
 */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

/** Inputs with more objects than this show progress. */
const PROGRESS_THRESHOLD = 20;
const NO_PROGRESS: Progress = { update: () => {}, finish: () => {} };

export function createProgress(stream: ProgressStream, options: { total: number; enabled: boolean }): Progress {
  if (!options.enabled || !stream.isTTY || options.total <= PROGRESS_THRESHOLD) return NO_PROGRESS;
  let shown = false;
  return {
    update(done, total) {
      stream.write(`\rchecking ${done}/${total} objects…`);
      shown = true;
    },
    finish() {
      if (shown) stream.write('\r\u001b[K'); // erase the counter line
    },
  };
}
