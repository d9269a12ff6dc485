/**
 * `kind: List` (kubectl) and typed lists such as `DeploymentList` (the API) carry their objects under `items`: each
 * item becomes a document of its own, on the line where it starts. Pure.
 */
import { isMap, isSeq, type LineCounter, type Node } from 'yaml';
import { listOf, withListDefaults, type ManifestDocument } from './list-shape.js';

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

/** 1-based line where `node` starts. */
export function lineOf(node: Node, lineCounter: LineCounter): number {
  const offset = node.range?.[0] ?? 0;
  return lineCounter.linePos(offset).line;
}
