/**
 * go-yaml (kubectl's reader) accepts a multi-line quoted scalar whose next lines are indented no deeper than its key;
 * the `yaml` library follows the YAML 1.2 spec and stops with "Missing closing quote"
 * (https://yaml.org/spec/1.2.2/#73-flow-scalar-styles). Leading white space of a quoted scalar's continuation lines
 * is never part of its value (same section, "flow folding"), so indenting those lines changes nothing but makes the
 * text acceptable to the library. Pure.
 */
import { Scalar, visit, type Document } from 'yaml';

/**
 * `text` with the continuation lines of the quoted scalars that the library cut short (in documents it could not
 * parse) indented past their opening quote; undefined when there is nothing such to fix (a quote that is never
 * closed, a document marker inside).
 */
export function indentQuotedContinuations(text: string, documents: readonly Document.Parsed[]): string | undefined {
  const openings = cutShort(
    text,
    documents.filter((document) => document.errors.length > 0),
  );
  let result = text;
  let changed = false;
  for (const opening of [...new Set(openings)].sort((a, b) => b - a)) {
    const fixed = indentScalar(result, opening);
    if (fixed === undefined) continue;
    result = fixed;
    changed = true;
  }
  return changed ? result : undefined;
}

/** The starts of the quoted scalars that end before the quote that really closes them. */
function cutShort(text: string, documents: readonly Document.Parsed[]): number[] {
  const openings: number[] = [];
  for (const document of documents)
    visit(document, {
      Scalar(_, node) {
        if (node.type !== Scalar.QUOTE_DOUBLE && node.type !== Scalar.QUOTE_SINGLE) return;
        const [start, end] = node.range ?? [];
        if (start === undefined || end === undefined) return;
        const closing = closingQuote(text, start);
        if (closing !== undefined && closing + 1 !== end) openings.push(start);
      },
    });
  return openings;
}

function indentScalar(text: string, opening: number): string | undefined {
  const quote = text[opening];
  const closing = closingQuote(text, opening);
  if (closing === undefined) return undefined;
  const lineStart = text.lastIndexOf('\n', opening) + 1;
  const minIndent = opening - lineStart + 1;
  const firstBreak = text.indexOf('\n', opening);
  if (firstBreak === -1 || firstBreak > closing) return undefined;
  const body = text.slice(firstBreak + 1, closing + 1);
  const lines = body.split('\n');
  if (lines.some((line) => /^(---|\.\.\.)(\s|$)/.test(line))) return undefined;
  const indented = lines.map((line) => {
    if (line.trim() === '' && line !== quote) return line;
    const indent = /^[ \t]*/.exec(line)?.[0].length ?? 0;
    return indent >= minIndent ? line : ' '.repeat(minIndent - indent) + line;
  });
  return text.slice(0, firstBreak + 1) + indented.join('\n') + text.slice(closing + 1);
}

/** The offset of the quote that closes the scalar opening at `opening` (`''` and `\"` are escapes, not ends). */
function closingQuote(text: string, opening: number): number | undefined {
  const quote = text[opening];
  for (let index = opening + 1; index < text.length; index++) {
    const char = text[index];
    if (quote === '"' && char === '\\') index++;
    else if (char === quote) {
      if (quote === "'" && text[index + 1] === "'") index++;
      else return index;
    }
  }
  return undefined;
}
