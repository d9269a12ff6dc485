/**
 * Anchors and aliases bounded by what they expand to, not by how many there are: kubectl's go-yaml accepts any number
 * of aliases but refuses "excessive aliasing" (https://github.com/go-yaml/yaml/blob/v3/decode.go, `allowedAliasRatio`).
 * A document may grow through its aliases by at most {@link MAX_ALIAS_EXPANSION} nodes, so a "billion laughs" is
 * refused before it is expanded, while a manifest that reuses a block hundreds of times reads as written. Pure.
 */
import { isAlias, isMap, isPair, isSeq, type Document, type Node } from 'yaml';
import { MAX_ALIAS_EXPANSION } from './read-limits.js';

/** Why the document cannot be expanded, with the offset of the alias that shows it; undefined when it can. */
export function aliasExpansionProblem(document: Document.Parsed): { offset: number; reason: string } | undefined {
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  let written = 0;
  let problem: { offset: number; reason: string } | undefined;

  const measure = (node: unknown): number => {
    if (problem || node === null || typeof node !== 'object') return 1;
    if (isPair(node)) return measure(node.key) + measure(node.value);
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target) return 1; // the library reports the unknown anchor itself
      if (open.has(target)) {
        problem = { offset: node.range?.[0] ?? 0, reason: `the alias *${node.source} is inside its own anchor` };
        return 1;
      }
      return measure(target);
    }
    const known = sizes.get(node as Node);
    if (known !== undefined) return known;
    written++;
    const anchor = (node as Node).anchor;
    if (anchor) anchors.set(anchor, node as Node);
    open.add(node as Node);
    let size = 1;
    if (isMap(node) || isSeq(node)) for (const item of node.items as unknown[]) size += measure(item);
    open.delete(node as Node);
    sizes.set(node as Node, size);
    return size;
  };

  const total = measure(document.contents);
  if (problem) return problem;
  if (total - written > MAX_ALIAS_EXPANSION)
    return {
      offset: document.contents?.range?.[0] ?? 0,
      reason: `its aliases expand it by more than ${MAX_ALIAS_EXPANSION.toLocaleString('en')} nodes`,
    };
  return undefined;
}
