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
  /** A `...` line followed by something other than a comment ends it: a case for the precise reader. */
  readonly oddEnd: boolean;
}

/** `---` or `...`, then the end of the line, white space or (`---` only) content. */
const MARKER = /^(?:---|\.\.\.)(?:[ \t\r]|$)/;
const BLANK_OR_COMMENT = /^[ \t]*(?:#|\r?$)/;

/** The chunks of `text` that hold content, in order: a document of comments only is empty, and left out. */
export function* documentChunks(text: string): Generator<DocumentChunk> {
  let chunkStart = 0;
  let startLine = 1;
  let contentLine: number | undefined;
  let lineStart = 0;
  for (let line = 1; ; line++) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const content = text.slice(lineStart, lineEnd);
    const next = newline === -1 ? text.length : newline + 1;
    if (MARKER.test(content)) {
      if (contentLine !== undefined)
        yield { text: text.slice(chunkStart, lineStart), startLine, contentLine, oddEnd: false };
      const rest = content.slice(3);
      if (content.startsWith('---')) {
        chunkStart = lineStart;
        startLine = line;
        contentLine = BLANK_OR_COMMENT.test(rest) ? undefined : line;
      } else {
        if (!BLANK_OR_COMMENT.test(rest)) {
          yield { text: '', startLine: line, contentLine: line, oddEnd: true };
          return;
        }
        chunkStart = next;
        startLine = line + 1;
        contentLine = undefined;
      }
    } else if (contentLine === undefined && !BLANK_OR_COMMENT.test(content)) contentLine = line;
    if (newline === -1) break;
    lineStart = next;
  }
  if (contentLine !== undefined) yield { text: text.slice(chunkStart), startLine, contentLine, oddEnd: false };
}
