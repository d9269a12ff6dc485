/**
 * A nesting-depth check to run BEFORE `JSON.parse` on untrusted text. `JSON.parse` has no depth limit: a valid body
 * of a few MiB can nest a million arrays, and building (then walking) that costs seconds of event loop. This scan
 * is one linear pass with no allocation, so its cost is bounded by the body size the caller already capped.
 *
 * Brackets inside JSON strings do not count: a `"` opens or closes a string and a backslash inside a string skips
 * the next character (so `\"` and `\\` are handled). On valid JSON the depth seen here is exactly the parser's; on
 * invalid JSON `JSON.parse` stops at the first error, and no prefix it accepts can be deeper than this scan says,
 * because both read strings the same way.
 */

const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \
const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]

/**
 * True when `json` opens more than `maxDepth` objects/arrays inside one another at some point (`{}` and `[]` are
 * depth 1, `{"a":[1]}` depth 2, a scalar depth 0). Works on the text or on its UTF-8 bytes: every byte of a
 * multi-byte UTF-8 character is ≥ 0x80, so it can never be mistaken for a quote, backslash or bracket.
 */
export function jsonDepthExceeds(json: string | Uint8Array, maxDepth: number): boolean {
  if (openingsAtMost(json, maxDepth)) return false;
  return typeof json === 'string' ? exceedsInText(json, maxDepth) : exceedsInBytes(json, maxDepth);
}

/**
 * Whether `{` and `[` occur at most `max` times in all, strings included: then no nesting can be deeper. An ordinary
 * review (a few hundred brackets against a limit of 1,000) is settled by a few hundred native searches instead of
 * the scan, which visits every character outside strings (on P1's Deployment the scan cost a third of `JSON.parse`).
 */
function openingsAtMost(json: string | Uint8Array, max: number): boolean {
  const search =
    typeof json === 'string'
      ? (what: number, from: number) => json.indexOf(what === OPEN_OBJECT ? '{' : '[', from)
      : (what: number, from: number) => json.indexOf(what, from);
  let seen = 0;
  for (const what of [OPEN_OBJECT, OPEN_ARRAY]) {
    for (let at = search(what, 0); at !== -1; at = search(what, at + 1)) if (++seen > max) return false;
  }
  return true;
}

function exceedsInBytes(bytes: Uint8Array, maxDepth: number): boolean {
  const strings = stringSkipper((what, from) => bytes.indexOf(what, from), bytes.length);
  let depth = 0;
  const length = bytes.length;
  for (let i = 0; i < length; i++) {
    const c = bytes[i] as number;
    if (c === QUOTE) {
      i = strings.endOf(i + 1);
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > maxDepth) return true;
    } else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && depth > 0) {
      depth--;
    }
  }
  return false;
}

function exceedsInText(text: string, maxDepth: number): boolean {
  const strings = stringSkipper((what, from) => text.indexOf(what === QUOTE ? '"' : '\\', from), text.length);
  let depth = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = strings.endOf(i + 1);
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > maxDepth) return true;
    } else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && depth > 0) {
      depth--;
    }
  }
  return false;
}

/**
 * Finds where strings end with the native `indexOf` (most of a manifest's bytes are inside strings). The next
 * quote and the next backslash are remembered and searched again only once passed, so the whole input is
 * searched at most once for each: linear however many escapes there are.
 */
function stringSkipper(
  indexOf: (what: number, from: number) => number,
  length: number,
): { endOf(from: number): number } {
  let quote = -1;
  let backslash = -1;
  const next = (what: number, from: number) => {
    const at = indexOf(what, from);
    return at < 0 ? length : at;
  };
  return {
    /** Index of the quote closing a string whose content starts at `from` (or the end of the input). */
    endOf(from: number): number {
      let i = from;
      for (;;) {
        if (quote < i) quote = next(QUOTE, i);
        if (backslash < i) backslash = next(BACKSLASH, i);
        if (quote <= backslash) return quote; // no escape before the closing quote (or the input ends)
        i = backslash + 2; // skip the escaped character, whatever it is
      }
    },
  };
}
