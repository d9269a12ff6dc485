/**
 * `kind: List` (kubectl) and typed lists such as `DeploymentList` (the API) carry their objects under `items`: each
 * item becomes a document of its own, on the line where it starts. Pure.
 */
import { isMap, isSeq, type LineCounter, type Node } from 'yaml';
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

/** The document, or the items of the List it is (recursively), each on the line of its node. */
export function expandLists(
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

/** The List `value` is, or undefined. */
export function listOf(value: unknown): ListShape | undefined {
  if (!isRecord(value)) return undefined;
  const kind = value['kind'];
  // A nil Go slice is written `items: null`: an empty list, like `[]`.
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

/** 1-based line where `node` starts. */
export function lineOf(node: Node, lineCounter: LineCounter): number {
  const offset = node.range?.[0] ?? 0;
  return lineCounter.linePos(offset).line;
}
