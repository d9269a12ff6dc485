/**
 * Manifest text → Kubernetes documents, each with its file and line. Multi-document YAML and JSON (JSON is parsed as
 * YAML, which is how kubectl reads it too); `List` and `*List` kinds are unpacked into their items. Read as kubectl's
 * go-yaml reads them (docs/ci.md "What is read, and how"): YAML 1.1 merge keys, quoted scalars continued at any
 * indentation, aliases bounded by what they expand to; a Helm template is named as such. Pure.
 */
import { isCollection, isMap, isSeq, LineCounter, parseAllDocuments, visit, type Document, type Node } from 'yaml';
import { aliasExpansionProblem } from './alias-budget.js';
import { ManifestError } from './manifest-error.js';
import { indentQuotedContinuations } from './quoted-continuations.js';
import { isRecord } from '../runtime/json-shape.js';

/** One document of a manifest file, or one item of a List in it. */
export interface ManifestDocument {
  /** The file as the user named it (`<stdin>` for `-f -`). */
  readonly file: string;
  /** 1-based line where the document (or the List item) starts. */
  readonly line: number;
  readonly value: unknown;
}

/** Lists nest rarely (a List of Lists); deeper than this is not a manifest anyone wrote on purpose. */
const MAX_LIST_DEPTH = 8;

/** A document, or why one could not be read. */
export type ManifestEntry = ManifestDocument | ManifestError;

/**
 * Parses every document of `text`, in order. A document that cannot be read becomes a {@link ManifestError} with the
 * file, line and column, in its place; the documents around it are still read.
 */
export function parseManifestText(text: string, file: string): ManifestEntry[] {
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

/**
 * `kind: List` (kubectl) and typed lists such as `DeploymentList` (the API) carry their objects under `items`; a nil
 * Go slice is written `items: null`, an empty list like `[]`.
 */
function expandLists(
  document: ManifestDocument,
  node: Node | null,
  lineCounter: LineCounter,
  depth: number,
): ManifestDocument[] {
  const list = listOf(document.value);
  if (!list || depth >= MAX_LIST_DEPTH) return [document];
  const itemNodes = isMap(node) ? node.get('items', true) : undefined;
  const seq = isSeq(itemNodes) ? itemNodes : undefined;
  return list.items.flatMap((item, index) => {
    const itemNode = seq?.items[index];
    const line =
      itemNode && typeof itemNode === 'object' && 'range' in itemNode
        ? lineOf(itemNode as Node, lineCounter)
        : document.line;
    const value = withListDefaults(item, list);
    return expandLists(
      { file: document.file, line, value },
      (itemNode as Node | undefined) ?? null,
      lineCounter,
      depth + 1,
    );
  });
}

interface ListShape {
  readonly apiVersion: string | undefined;
  /** `Deployment` for a `DeploymentList`; undefined for a generic `List`. */
  readonly itemKind: string | undefined;
  readonly items: readonly unknown[];
}

function listOf(value: unknown): ListShape | undefined {
  if (!isRecord(value)) return undefined;
  const kind = value['kind'];
  const items = value['items'] === null ? [] : value['items'];
  if (typeof kind !== 'string' || !kind.endsWith('List') || !Array.isArray(items)) return undefined;
  const apiVersion = typeof value['apiVersion'] === 'string' ? value['apiVersion'] : undefined;
  return { apiVersion, itemKind: kind === 'List' ? undefined : kind.slice(0, -'List'.length), items };
}

/** Items of typed lists from the API have no TypeMeta: they take the list's apiVersion and the kind it names. */
function withListDefaults(item: unknown, list: ListShape): unknown {
  if (!isRecord(item) || list.itemKind === undefined) return item;
  return {
    ...(item['apiVersion'] === undefined && list.apiVersion !== undefined ? { apiVersion: list.apiVersion } : {}),
    ...(item['kind'] === undefined ? { kind: list.itemKind } : {}),
    ...item,
  };
}

function lineOf(node: Node, lineCounter: LineCounter): number {
  const offset = node.range?.[0] ?? 0;
  return lineCounter.linePos(offset).line;
}

/** The parser's first message line, without its own ` at line N, column M:` (the file:line prefix says it). */
function firstLine(message: string): string {
  const line = message.split('\n')[0]?.trim() ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
}
