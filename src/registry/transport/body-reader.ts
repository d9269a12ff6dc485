/**
 * Capped reads of response bodies. A registry (or anything pretending to be one) may send a body of any size; we
 * never hold more than the cap in memory and destroy the stream as soon as it is exceeded (docs/design.md §7.2 R2).
 */
import type { Readable } from 'node:stream';

/** Distribution refuses manifests above 4 MiB, so nothing legitimate is larger. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Error bodies are only read for their `errors[].code`. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

export interface CappedBody {
  readonly bytes: Buffer;
  /** True when the body was longer than the cap and only its start was kept. */
  readonly truncated: boolean;
}

/** Reads at most `cap` bytes; beyond that the stream is destroyed and `truncated` is set. */
export async function readCapped(body: Readable, cap: number, declaredLength?: number): Promise<CappedBody> {
  if (declaredLength !== undefined && declaredLength > cap) {
    body.destroy();
    return { bytes: Buffer.alloc(0), truncated: true };
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = cap - total;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      body.destroy();
      return { bytes: Buffer.concat(chunks, cap), truncated: true };
    }
    chunks.push(chunk);
    total += chunk.length;
  }
  return { bytes: Buffer.concat(chunks, total), truncated: false };
}

/** Throws away a body we do not need without reading much of it (a small one keeps the connection reusable). */
export async function discardBody(
  body: Readable & { dump?: (options?: { limit: number }) => Promise<void> },
): Promise<void> {
  try {
    if (typeof body.dump === 'function') await body.dump({ limit: MAX_ERROR_BODY_BYTES });
    else body.destroy();
  } catch {
    // The connection is gone; nothing to clean up beyond what undici does.
  }
}

/** `content-length` as a number, when the header is a single non-negative integer. */
export function declaredLength(header: string | string[] | undefined): number | undefined {
  if (typeof header !== 'string' || !/^\d{1,15}$/.test(header)) return undefined;
  return Number(header);
}
