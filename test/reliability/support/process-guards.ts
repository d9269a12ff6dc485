/**
 * Counts `unhandledRejection` and `uncaughtException` events of the test process, so in-process reliability tests
 * can assert that misbehaving peers never produce either (docs/design.md §7.2 R2, R3, R7).
 */
export interface ProcessFailureCounter {
  unhandledRejections(): number;
  uncaughtExceptions(): number;
  /** A short description of the first few events, for assertion messages. */
  describe(): string;
  dispose(): void;
}

export function countProcessFailures(): ProcessFailureCounter {
  const rejections: unknown[] = [];
  const exceptions: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  const onException = (error: unknown) => exceptions.push(error);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    unhandledRejections: () => rejections.length,
    uncaughtExceptions: () => exceptions.length,
    describe: () =>
      [...rejections, ...exceptions]
        .slice(0, 3)
        .map((e) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)))
        .join('; '),
    dispose() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}
