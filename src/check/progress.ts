/**
 * A one-line progress counter on stderr for large inputs, only on a terminal: CI logs and pipes stay clean.
 */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface Progress {
  /** `done` objects checked so far; the total is not known while the input streams in. */
  update(done: number): void;
  finish(): void;
}

/** The counter appears once more objects than this are done, so small inputs never show it. */
const PROGRESS_THRESHOLD = 20;
const NO_PROGRESS: Progress = { update: () => {}, finish: () => {} };

export function createProgress(stream: ProgressStream, options: { enabled: boolean }): Progress {
  if (!options.enabled || !stream.isTTY) return NO_PROGRESS;
  let shown = false;
  return {
    update(done) {
      if (done <= PROGRESS_THRESHOLD) return;
      stream.write(`\rchecked ${done} objects…`);
      shown = true;
    },
    finish() {
      if (shown) stream.write('\r\u001b[K'); // erase the counter line
    },
  };
}
