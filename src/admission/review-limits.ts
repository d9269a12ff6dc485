/**
 * What an AdmissionReview body may be, derived from what a conformant API server can send, and what holding one
 * costs. The limits are checked on the raw bytes before JSON.parse runs (parse-review-body.ts).
 */

const MiB = 1024 * 1024;

/**
 * Largest body accepted: 28 MiB.
 *
 * The API server refuses request bodies over 3 MiB (`MaxRequestBodyBytes` in k8s.io/apiserver/pkg/server/config.go,
 * twice etcd's limit, and no kube-apiserver flag changes it) and etcd refuses values over 1.5 MiB (its
 * `--max-request-bytes` default, etcd.io/docs "System limits"). A review
 * carries `object`, which comes from the request: up to 3 MiB on a CREATE or UPDATE (a dry run never meets etcd's
 * smaller limit, and admission runs before etcd does); and on UPDATE `oldObject`, which comes from etcd: at most
 * 1.5 MiB. The API server encodes the review with Go's encoding/json, which writes `<`, `>` and `&` as `\u003c`,
 * `\u003e`, `\u0026`, and control characters and invalid UTF-8 as six-byte escapes too: at worst six bytes for each
 * byte of string content, so a 1.24 MiB Pod that etcd stores arrives as 7.44 MiB. With 1 MiB for the envelope (uid,
 * kinds, userInfo with its groups and extra, options): 6 × (3 MiB + 1.5 MiB) + 1 MiB = 28 MiB.
 *
 * Not covered: objects that exist only inside the API server, past its own request limit (a dry-run JSON patch
 * inflated by `copy` operations, an object grown by mutating webhooks). Those get BODY_TOO_LARGE.
 */
export const MAX_REVIEW_BYTES = 6 * (3 * MiB + 1.5 * MiB) + MiB;

/**
 * Deepest nesting accepted. Workload objects nest about 25 levels (a CronJob's pod affinity expressions), and the
 * API server re-encodes built-in kinds from their Go types, so no deeper unknown data reaches a review of one. 1000
 * leaves room for custom resources with embedded schemas; Go's encoding/json stops at 10000. Depth itself costs
 * little below that (V8 parses iteratively, and memory is bounded by MAX_REVIEW_TOKENS), but every recursive walk
 * over the parsed body (validation, logging, cloning) would pay for it.
 */
export const MAX_REVIEW_DEPTH = 1000;

/**
 * Most structural tokens (`{ [ , :`, about one per object, array, element and member) accepted. A Deployment with
 * 100 containers of 200 environment variables each has about 100,000; memory grows with this count, not with the
 * byte size (see json-tokens.ts), so it is what bounds the cost of one parsed body.
 */
export const MAX_REVIEW_TOKENS = 500_000;

/**
 * Reviews up to this size are the ordinary ones (2–20 KB): what one can cost is small and brief however it is built
 * (no more tokens than bytes: at most ~4 MB of heap while parsed), so they are neither counted for MAX_REVIEW_TOKENS
 * nor leased from the body budget (server/body-budget.ts). Both cost the warm path ~20 µs per review.
 */
export const SMALL_REVIEW_BYTES = 64 * 1024;

/**
 * Heap bytes one structural token can cost once parsed: measured on Node 24 at 20 (`[[],…]`) to 50 (an object of
 * unique keys holding empty objects); rounded up.
 */
const HEAP_PER_TOKEN = 64;

/**
 * Upper bound of the heap a body of `bytes` with `tokens` structural tokens needs while it is turned into objects:
 * the text (a two-byte string when any character is outside Latin-1: twice the bytes), the parsed strings (at most
 * the bytes again) and the parsed structure.
 */
function parsingCost(bytes: number, tokens: number): number {
  return 3 * bytes + HEAP_PER_TOKEN * tokens;
}

/** Upper bound of what the parsed body keeps while its review runs: strings and structure, the text gone. */
export function parsedCost(bytes: number, tokens: number): number {
  return 2 * bytes + HEAP_PER_TOKEN * tokens;
}

/** What a body that declares `bytes` may cost before it is read: no body has more tokens than bytes. */
export function declaredCost(bytes: number): number {
  return parsingCost(bytes, Math.min(bytes, MAX_REVIEW_TOKENS + 1));
}
