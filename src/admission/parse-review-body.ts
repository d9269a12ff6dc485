/**
 * Raw request bytes → a JSON value, with the checks that must come before JSON.parse: a body too deep or with too
 * much structure is refused from its bytes (linear scans, constant memory), so parsing it can neither freeze the
 * event loop nor fill the heap. Pure.
 */
import { jsonDepthExceeds } from '../runtime/json-depth.js';
import { jsonStructure } from '../runtime/json-tokens.js';
import { MAX_REVIEW_DEPTH, MAX_REVIEW_TOKENS, SMALL_REVIEW_BYTES } from './review-limits.js';

export type BodyErrorCode = 'INVALID_JSON' | 'TOO_DEEP' | 'TOO_COMPLEX';

export type ParsedBody =
  | { readonly ok: true; readonly value: unknown; readonly tokens: number }
  | { readonly ok: false; readonly code: BodyErrorCode; readonly message: string };

export function parseReviewBody(body: Buffer): ParsedBody {
  if (body.length <= SMALL_REVIEW_BYTES) return parseSmallBody(body);
  const structure = jsonStructure(body, MAX_REVIEW_TOKENS);
  const tooComplex = structure.tokens > MAX_REVIEW_TOKENS;
  // Counting stops early, and the depth is then measured on what was counted: deep nesting is reported as such,
  // and a flat body of millions of tiny objects is refused after its first few hundred KB either way.
  if (jsonDepthExceeds(tooComplex ? body.subarray(0, structure.scanned) : body, MAX_REVIEW_DEPTH)) return TOO_DEEP;
  if (tooComplex) {
    return {
      ok: false,
      code: 'TOO_COMPLEX',
      message: `body has more than ${MAX_REVIEW_TOKENS} JSON objects, arrays, elements and members`,
    };
  }
  return parsed(body.toString('utf8'), structure.tokens);
}

/**
 * An ordinary review: its tokens are not counted (it cannot have MAX_REVIEW_TOKENS: no more tokens than bytes), and
 * its depth is measured on the decoded text, which JSON.parse needs anyway (string search is cheaper than bytes').
 */
function parseSmallBody(body: Buffer): ParsedBody {
  const text = body.toString('utf8');
  if (jsonDepthExceeds(text, MAX_REVIEW_DEPTH)) return TOO_DEEP;
  return parsed(text, body.length);
}

const TOO_DEEP: ParsedBody = {
  ok: false,
  code: 'TOO_DEEP',
  message: `body nests objects or arrays more than ${MAX_REVIEW_DEPTH} levels deep`,
};

/** `tokens`: the count, or an upper bound of it. */
function parsed(text: string, tokens: number): ParsedBody {
  try {
    // Invalid UTF-8 becomes U+FFFD, as the schema check then reports where it matters.
    return { ok: true, value: JSON.parse(text), tokens };
  } catch (error) {
    // JSON.parse quotes the input in some messages; keep only the position so no body content is echoed.
    const position = /at position (\d+)/.exec((error as Error).message)?.[1];
    return {
      ok: false,
      code: 'INVALID_JSON',
      message: `body is not valid JSON${position ? ` (at byte ${position})` : ''}`,
    };
  }
}
