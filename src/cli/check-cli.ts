/** Placeholder replaced by the check command implementation. */
export async function checkCli(_argv: readonly string[], _io: unknown): Promise<number> {
  throw new Error('not yet');
}
