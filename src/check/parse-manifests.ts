/**
 * Manifest text → Kubernetes documents, each with its file and line. Multi-document YAML and JSON (JSON is parsed as
 * YAML, which is how kubectl reads it too); `List` and `*List` kinds are unpacked into their items. Pure.
 */
import { Composer, isMap, isSeq, LineCounter, Parser, type Node } from 'yaml';
import { ManifestError } from './manifest-error.js';
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
 * Parses every document of `text`, in order. A document that does not parse becomes a {@link ManifestError}
 * `PG_MANIFEST_PARSE` with the file, line and column, in its place; the documents around it are still read.
 */
export function parseManifestText(text: string, file: string): ManifestEntry[] {
  const lineCounter = new LineCounter();
  // One document at a time (https://eemeli.org/yaml/#parser): each syntax tree is dropped once its value is read,
  // where parseAllDocuments would hold the trees of the whole stream (docs/benchmarks.md, P8).
  const documents = new Composer({ prettyErrors: false }).compose(new Parser(lineCounter.addNewLine).parse(text));
  const result: ManifestEntry[] = [];
  for (const document of documents) {
    const error = document.errors[0];
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
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (cause) {
      // e.g. too many alias expansions ("billion laughs")
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

/** `kind: List` (kubectl) and typed lists such as `DeploymentList` (the API) carry their objects under `items`. */
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
  const items = value['items'];
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
