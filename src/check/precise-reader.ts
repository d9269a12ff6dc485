/**
 * The precise reader: every document of a manifest text as kubectl's go-yaml reads it (docs/ci.md "What is read, and
 * how"), with exact error positions: YAML 1.1 merge keys, quoted scalars continued at any indentation, aliases
 * bounded by what they expand to, a Helm template named as such, List items on their own lines. Slower than the fast
 * reader (fast-documents.ts), which hands it every file it cannot vouch for. Pure.
 */
import { isCollection, LineCounter, parseAllDocuments, visit, type Document } from 'yaml';
import { aliasExpansionProblem } from './alias-budget.js';
import { ManifestError } from './manifest-error.js';
import type { ManifestEntry } from './list-shape.js';
import { expandLists, lineOf } from './manifest-lists.js';
import { indentQuotedContinuations } from './quoted-continuations.js';

/** The precise reader: every document of `text`, with go-yaml's reading and exact error positions. */
export function preciseEntries(text: string, file: string): ManifestEntry[] {
  const { documents, lineCounter, source } = parseLikeKubectl(text);
  const result: ManifestEntry[] = [];
  for (const document of documents) {
    const error = document.errors[0];
    const template = templateStart(document, source, error !== undefined);
    if (template !== undefined) {
      const position = lineCounter.linePos(template);
      result.push(
        new ManifestError('PG_MANIFEST_TEMPLATE', {
          file,
          line: position.line,
          column: position.col,
          detail: TEMPLATE_DETAIL,
        }),
      );
      continue;
    }
    if (error) {
      const position = lineCounter.linePos(error.pos[0]);
      result.push(
        new ManifestError('PG_MANIFEST_PARSE', {
          file,
          line: position.line,
          column: position.col,
          detail: `not valid YAML or JSON: ${firstLine(error.message)}`,
        }),
      );
      continue;
    }
    const contents = document.contents;
    if (contents === null) continue; // an empty document (`---` with only comments), as helm often writes
    const aliasProblem = aliasExpansionProblem(document);
    if (aliasProblem) {
      const position = lineCounter.linePos(aliasProblem.offset);
      result.push(
        new ManifestError('PG_MANIFEST_PARSE', {
          file,
          line: position.line,
          column: position.col,
          detail: `cannot read the document: ${aliasProblem.reason}`,
        }),
      );
      continue;
    }
    // The budget above bounds the expansion; the library's own count of aliases would refuse ordinary manifests.
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: -1 });
    } catch (cause) {
      // e.g. a merge key whose value is not a map (`<<: 1`)
      const contentsPosition = lineCounter.linePos(contents.range?.[0] ?? 0);
      result.push(
        new ManifestError('PG_MANIFEST_PARSE', {
          file,
          line: contentsPosition.line,
          column: contentsPosition.col,
          detail: `cannot read the document: ${firstLine((cause as Error).message)}`,
          cause,
        }),
      );
      continue;
    }
    if (value === null || value === undefined) continue;
    result.push(...expandLists({ file, line: lineOf(contents, lineCounter), value }, contents, lineCounter, 0));
  }
  return result;
}

/** The detail of `PG_MANIFEST_TEMPLATE`. */
const TEMPLATE_DETAIL = 'a template: render it first (`helm template … | pullguard check -f -`)';

/** Rounds of re-indenting quoted scalars: each fixes every scalar the previous parse stopped at. */
const MAX_QUOTE_ROUNDS = 16;

/**
 * go-yaml's reading: YAML 1.1 merge keys (`<<: *base`, https://yaml.org/type/merge.html); no warning printed (they
 * become errors or are of no consequence to a manifest); quoted scalars re-indented where go-yaml accepts them.
 */
function parseLikeKubectl(text: string): {
  documents: Document.Parsed[];
  lineCounter: LineCounter;
  source: string;
} {
  let source = text;
  for (let round = 0; ; round++) {
    const lineCounter = new LineCounter();
    const documents = parseAllDocuments(source, { lineCounter, prettyErrors: false, merge: true, logLevel: 'error' });
    const list = Array.isArray(documents) ? documents : [];
    const broken = list.some((document) => document.errors.length > 0);
    const fixed = broken && round < MAX_QUOTE_ROUNDS ? indentQuotedContinuations(source, list) : undefined;
    if (fixed === undefined) return { documents: list, lineCounter, source };
    source = fixed;
  }
}

/**
 * Where a `{{ … }}` template action breaks the document: the first one outside quotes and comments when the document
 * does not parse, or a map key that is itself a map (`image: {{ .Values.image }}` reads as one).
 */
function templateStart(document: Document.Parsed, source: string, broken: boolean): number | undefined {
  const [start, , end] = document.range;
  const text = source.slice(start, end);
  if (!text.includes('{{')) return undefined; // the common case, without a walk of the document
  if (broken) {
    const match = /^[^#"'\n]*?(\{\{)/m.exec(text);
    if (match) return start + match.index + match[0].length - 2;
  }
  let found: number | undefined;
  visit(document, {
    Pair(_, pair) {
      const key = pair.key;
      const keyStart = isCollection(key) ? key.range?.[0] : undefined;
      if (keyStart === undefined || source.slice(keyStart - 1, keyStart + 1) !== '{{') return undefined;
      found = keyStart - 1;
      return visit.BREAK;
    },
  });
  return found;
}

/** The parser's first message line, without its own ` at line N, column M:` (the file:line prefix says it). */
function firstLine(message: string): string {
  const line = message.split('\n')[0]?.trim() ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
}
