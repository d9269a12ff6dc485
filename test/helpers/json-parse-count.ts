/** Runs `work` with `JSON.parse` counted, and restores it afterwards whatever happens: for tests of "parsed once". */
export async function countingJsonParse<T>(
  work: () => T | Promise<T>,
): Promise<{ readonly result: T; readonly parses: number }> {
  const parse = JSON.parse;
  let parses = 0;
  JSON.parse = (...args: Parameters<typeof JSON.parse>) => (parses++, parse(...args));
  try {
    const result = await work();
    return { result, parses };
  } finally {
    JSON.parse = parse;
  }
}
