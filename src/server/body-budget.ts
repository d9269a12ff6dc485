/**
 * Reading and parsing request bodies within a memory budget. Before a body is read, its request leases what the
 * declared size may cost to parse (review-limits.ts); once parsed, the lease shrinks to what the parsed body keeps,
 * and it is given back when the answer has been sent (or the connection closed). A request that does not fit waits
 * for others to finish, at most `maxWaitMs`, and is then answered 429 BUSY with Retry-After, which the API server's
 * client retries. Ordinary reviews (up to 64 KiB, SMALL_REVIEW_BYTES) take no lease and never wait.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseReviewBody } from '../admission/parse-review-body.js';
import { declaredCost, MAX_REVIEW_BYTES, parsedCost, SMALL_REVIEW_BYTES } from '../admission/review-limits.js';
import { sendError } from './error-replies.js';
import type { Lease, MemoryBudget } from './memory-budget.js';

export interface BodyBudgetOptions {
  readonly budget: MemoryBudget;
  /** How long a request may wait for room before it is answered BUSY. */
  readonly maxWaitMs: (request: FastifyRequest) => number;
}

export interface BodyBudget {
  /**
   * For a preParsing hook: leases room for the request's body, then calls `proceed` (at once when there is room),
   * or answers 429 BUSY when none came in time.
   */
  lease(request: FastifyRequest, reply: FastifyReply, proceed: () => void): void;
  /** How long the request waited for room before its body was read (0 when it did not wait). */
  waitedMs(request: FastifyRequest): number;
  /** The request failed before its body was parsed: it keeps nothing, so its room goes back now. */
  settle(request: FastifyRequest): void;
}

/** Part of the heap that bodies in flight may take; the rest is for the caches and everything else. */
const HEAP_SHARE = 0.4;

/** The default budget for a heap of `heapLimit` bytes: at least what one largest body may cost. */
export function bodyBudgetBytes(heapLimit: number): number {
  return Math.max(declaredCost(MAX_REVIEW_BYTES), Math.floor(heapLimit * HEAP_SHARE));
}

/** Registers the body parser (every content type is read as JSON) on `app`; `lease` is for its preParsing hook. */
export function installBodyBudget(app: FastifyInstance, options: BodyBudgetOptions): BodyBudget {
  const held = new WeakMap<object, { readonly lease: Lease; readonly waitedMs: number }>();
  const hold = (request: FastifyRequest, reply: FastifyReply, lease: Lease, waitedMs: number): void => {
    held.set(request.raw, { lease, waitedMs });
    reply.raw.once('close', () => lease.release());
  };

  const lease = (request: FastifyRequest, reply: FastifyReply, proceed: () => void): void => {
    const declared = declaredBytes(request); // a chunked body counts as the largest
    // An ordinary review costs little and briefly (review-limits.ts); leasing would cost every one of them ~20 µs.
    if (declared <= SMALL_REVIEW_BYTES) {
      proceed();
      return;
    }
    const weight = declaredCost(declared);
    const granted = options.budget.tryAcquire(weight);
    if (granted) {
      hold(request, reply, granted, 0);
      proceed();
      return;
    }
    const started = performance.now();
    const controller = new AbortController();
    const maxWaitMs = options.maxWaitMs(request);
    const timer = setTimeout(() => controller.abort(), maxWaitMs);
    const onClose = (): void => controller.abort();
    reply.raw.once('close', onClose);
    void options.budget.acquire(weight, controller.signal).then((late) => {
      clearTimeout(timer);
      reply.raw.off('close', onClose);
      if (!late) {
        reply.header('retry-after', '1');
        sendError(
          reply,
          'BUSY',
          `pullguard is reading other large reviews and had no room for this one within ${Math.round(maxWaitMs)} ms; retry`,
        );
        return;
      }
      hold(request, reply, late, performance.now() - started);
      proceed();
    });
  };

  // Every content type is read as JSON: the API server always sends JSON, and a wrong header should still get a
  // precise 400 rather than a 415.
  app.removeAllContentTypeParsers();
  const parseBody = (
    request: FastifyRequest,
    body: string | Buffer,
    done: (error: Error | null, value?: unknown) => void,
  ): void => {
    const bytes = body as Buffer;
    const parsed = parseReviewBody(bytes);
    const lease = held.get(request.raw)?.lease;
    if (!parsed.ok) {
      lease?.shrink(0);
      done(Object.assign(new Error(parsed.message), { statusCode: 400, code: parsed.code }), undefined);
      return;
    }
    lease?.shrink(parsedCost(bytes.length, parsed.tokens));
    done(null, parsed.value);
  };
  // The API server's own type first: fastify remembers the parser of an exact match, while the catch-all is looked
  // up again on every request (its content type parsed each time).
  for (const type of ['application/json', '*'])
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_REVIEW_BYTES }, parseBody);

  return {
    lease,
    waitedMs: (request) => held.get(request.raw)?.waitedMs ?? 0,
    settle: (request) => held.get(request.raw)?.lease.shrink(0),
  };
}

/**
 * The body size the request announces: its Content-Length (Node's parser holds the client to it), the limit when
 * it is chunked, 0 without a body. A body over the limit is refused before it is read, so it leases nothing.
 */
function declaredBytes(request: FastifyRequest): number {
  const length = request.headers['content-length'];
  if (length !== undefined) {
    const bytes = Number(length);
    return Number.isSafeInteger(bytes) && bytes >= 0 && bytes <= MAX_REVIEW_BYTES ? bytes : 0;
  }
  return request.headers['transfer-encoding'] !== undefined ? MAX_REVIEW_BYTES : 0;
}
