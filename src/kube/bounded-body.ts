/**
 * A response body read as JSON with a size ceiling, so one answer cannot take unbounded memory: a page of 500 Pods
 * is a few MB, far below the ceiling.
 */

/** Bodies past this many bytes are refused. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The parsed body; undefined when it is missing, too large or not JSON. Rejects only when `signal` aborts. */
export async function readBoundedJson(
  stream: ReadableStream<Uint8Array> | null,
  signal: AbortSignal,
  maxBytes = MAX_BODY_BYTES,
): Promise<unknown> {
  if (stream === null) return undefined;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    signal.throwIfAborted();
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
