/**
 * Nesting depth of untrusted JSON, measured on the raw text before `JSON.parse` sees it: V8 parses millions of
 * nested arrays without complaint, and every later walk over the result (validation, logging) then pays for the
 * depth. One pass, constant memory; brackets inside strings do not count, and `\"` does not end a string.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * True when some object or array in `text` is nested more than `maxDepth` levels deep (`[]` is depth 1). It stops
 * at the first level past the limit. Input that is not JSON is measured the same way (a stray closing bracket never
 * takes the depth below zero), so the answer is only meaningful for what JSON.parse would accept.
 */
export function jsonDepthExceeds(text: string | Buffer, maxDepth: number): boolean {
  // UTF-8 lead and continuation bytes are all ≥ 0x80, so bytes and UTF-16 code units scan alike.
  const isString = typeof text === 'string';
  const length = text.length;
  let depth = 0;
  for (let i = 0; i < length; i++) {
    const c = isString ? text.charCodeAt(i) : (text[i] as number);
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return false; // an unterminated string: nothing after it is structure
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && depth > 0) {
      depth--;
    }
  }
  return false;
}

/**
 * Index of the quote that ends the string opened at `open`, or -1. `indexOf` skips string content at native speed
 * (an escaped review is mostly string); a quote ends the string unless an odd run of backslashes precedes it. Each
 * run is looked at once, so the whole scan stays linear.
 */
function closingQuote(text: string | Buffer, open: number): number {
  const isString = typeof text === 'string';
  let from = open + 1;
  for (;;) {
    const quote = isString ? text.indexOf('"', from) : text.indexOf(QUOTE, from);
    if (quote < 0) return -1;
    let before = quote - 1;
    while (before > open && (isString ? text.charCodeAt(before) : text[before]) === BACKSLASH) before--;
    if ((quote - 1 - before) % 2 === 0) return quote;
    from = quote + 1;
  }
}
