/**
 * How much structure untrusted JSON holds, counted on the raw text before `JSON.parse` builds it: what a parsed
 * document costs in memory grows with its objects, arrays and members far more than with its bytes (`[{},{},…]`
 * takes about 21 heap bytes per input byte on Node 24, an escaped string about a sixth of a byte).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const COMMA = 0x2c;
const COLON = 0x3a;

/** What {@link jsonStructure} counted, and how far it read. */
export interface JsonStructure {
  /** Structural tokens seen; `stopAbove + 1` when counting stopped early. */
  readonly tokens: number;
  /** Length of the prefix scanned: all of `text` unless counting stopped early. */
  readonly scanned: number;
}

/**
 * The structural tokens of `text` outside strings: `{`, `[`, `,` and `:`, about one per object, array, element and
 * member. Counting stops once it passes `stopAbove`, so refusing a huge document costs only the prefix that proves
 * it. Linear, constant memory.
 */
export function jsonStructure(text: string | Buffer, stopAbove: number): JsonStructure {
  const isString = typeof text === 'string';
  const length = text.length;
  let tokens = 0;
  for (let i = 0; i < length; i++) {
    const c = isString ? text.charCodeAt(i) : (text[i] as number);
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) break;
    } else if ((c === OPEN_BRACE || c === OPEN_BRACKET || c === COMMA || c === COLON) && ++tokens > stopAbove) {
      return { tokens, scanned: i + 1 };
    }
  }
  return { tokens, scanned: length };
}

/**
 * Index of the quote that ends the string opened at `open`, or -1: the next quote not preceded by an odd run of
 * backslashes. `indexOf` skips string content at native speed, and each backslash run is looked at once. (The same
 * as in json-depth.ts; each file stands alone.)
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
