/**
 * Text from the cluster made safe for a terminal: a pod name, a waiting message or an event text is written by
 * whoever can create pods or events, so it may hold escape sequences that clear the screen, move the cursor or
 * rewrite earlier lines, and carriage returns that forge a line. Every C0 and C1 control character (ECMA-48 §5,
 * https://ecma-international.org/publications-and-standards/standards/ecma-48/), DEL, the Unicode line and paragraph
 * separators and the bidirectional overrides (https://www.unicode.org/reports/tr9/, which can make a line read
 * other than it is) are written as visible escapes (`\x1b`, `\r`, `\u202e`); lone surrogates become U+FFFD. Line
 * feeds are kept apart: {@link safeLines} splits on them so a multi-line message is indented under its label. Pure;
 * linear in the length of the text.
 */

// Built from code points so the source stays free of literal controls.
const UNSAFE = new RegExp(
  '[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]',
  'gu',
);
const NAMED: Readonly<Record<string, string>> = { '\r': '\\r', '\t': '\\t' };

function escape(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of text with every control character (line feeds included) written as a visible escape. */
export function safeText(text: string): string {
  return String(text).toWellFormed().replace(UNSAFE, escape).replaceAll('\n', '\\n');
}

/** The text's lines, each made safe by {@link safeText}; an empty text is one empty line. */
export function safeLines(text: string): string[] {
  return String(text).split('\n').map(safeText);
}
