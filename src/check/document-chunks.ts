/**
 * YAML text → its documents as text, split at the document markers: a line that is `---` or `...` at column 0,
 * optionally followed by white space or a comment (`---` may also be followed by the document's first content). Such a
 * line always ends a document, even inside a block or quoted scalar (the YAML 1.2 spec, §9.1
 * https://yaml.org/spec/1.2.2/#91-documents), so each chunk can be read on its own, one at a time. Pure.
 */

/** One document's text, as the parser is given it. */
export interface DocumentChunk {
  /** From its `---` line (included) to the next marker line (excluded); no marker line when none starts it. */
  readonly text: string;
  /** 1-based line the chunk starts on: its `---` line, the line after `...`, or 1. */
  readonly startLine: number;
  /** 1-based line of its first content (not blank, not a comment). */
  readonly contentLine: number;
  /** A `...` line followed by something other than a comment ends it: a case for the precise reader (no text). */
  readonly oddEnd: boolean;
}

/** What may follow `---` or `...` on a marker line: nothing, or white space first. */
const MARKER_END = /^(?:[ \t\r\n]|$)/;
const BLANK_OR_COMMENT = /^[ \t]*(?:#|\r?\n?$)/;
const DASH = 0x2d;
const DOT = 0x2e;

/** The chunks of `text` that hold content, in order: a document of comments only is empty, and left out. */
export function* documentChunks(text: string): Generator<DocumentChunk> {
  let chunkStart = 0;
  let startLine = 1;
  let contentLine: number | undefined;
  for (let line = 1, lineStart = 0; lineStart < text.length; line++) {
    const newline = text.indexOf('\n', lineStart);
    const next = newline === -1 ? text.length : newline + 1;
    const marker = markerAt(text, lineStart);
    if (marker !== undefined) {
      const rest = text.slice(lineStart + 3, next);
      if (marker === DOT && !BLANK_OR_COMMENT.test(rest)) {
        // The precise reader refuses the document this line ends.
        yield { text: '', startLine, contentLine: contentLine ?? line, oddEnd: true };
        return;
      }
      if (contentLine !== undefined)
        yield { text: text.slice(chunkStart, lineStart), startLine, contentLine, oddEnd: false };
      if (marker === DASH) {
        chunkStart = lineStart;
        startLine = line;
        contentLine = BLANK_OR_COMMENT.test(rest) ? undefined : line;
      } else {
        chunkStart = next;
        startLine = line + 1;
        contentLine = undefined;
      }
    } else if (contentLine === undefined && !BLANK_OR_COMMENT.test(text.slice(lineStart, next))) contentLine = line;
    lineStart = next;
  }
  if (contentLine !== undefined) yield { text: text.slice(chunkStart), startLine, contentLine, oddEnd: false };
}

/** `-` for a `---` line, `.` for a `...` line at `lineStart`, else undefined. */
function markerAt(text: string, lineStart: number): number | undefined {
  const first = text.charCodeAt(lineStart);
  if (first !== DASH && first !== DOT) return undefined;
  if (text.charCodeAt(lineStart + 1) !== first || text.charCodeAt(lineStart + 2) !== first) return undefined;
  return MARKER_END.test(text.slice(lineStart + 3, lineStart + 4)) ? first : undefined;
}
