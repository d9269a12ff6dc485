/**
 * The fast reading of plain manifests (docs/ci.md "What is read, and how"): js-yaml
 * (https://github.com/nodeca/js-yaml) reads one document at a time with the YAML 1.2 core schema and merge keys,
 * the same resolution as the precise reader in parse-manifests.ts. It only answers where its result is the same as
 * the precise reader's: at the first document it cannot vouch for, it names the line from which the precise reader
 * takes over. Pure.
 */
import { CORE_SCHEMA, defineMappingTag, load, mapTag, mergeTag } from 'js-yaml';
import { MAX_ALIAS_EXPANSION } from './read-limits.js';
import { documentChunks } from './document-chunks.js';
import { listOf } from './list-shape.js';

/** A document read, or the line from which the precise reader must read the rest of the file. */
export type FastResult =
  | { readonly kind: 'document'; readonly line: number; readonly value: unknown }
  | { readonly kind: 'precise'; readonly fromLine: number };

/**
 * Maps as the precise reader builds them; a null key (`~: x`), which it names `""` where js-yaml says `"null"`, is
 * refused, and so is left to the precise reader.
 */
const MAP = defineMappingTag(mapTag.tagName, {
  ...mapTag,
  addPair: (map, key, value) => (key === null ? 'a null key' : mapTag.addPair(map, key, value)),
});
const SCHEMA = CORE_SCHEMA.withTags(mergeTag, MAP);

/**
 * Whole-file reasons for the precise reader: directives (`%YAML`, `%TAG`), template actions (`{{`, named with their
 * place), a byte-order mark inside the text, and a carriage return that ends a line on its own.
 */
const PRECISE_FILE = /^%|\{\{|\uFEFF|\r(?!\n)/m;

/** A document's anchor or tag before its first content: where it starts is the precise reader's to say. */
const PROPERTIES_FIRST = /^(?:---[ \t]+)?[ \t]*[&!]/;

/** The documents of `text`, one at a time, until one needs the precise reader. */
export function* fastDocuments(text: string): Generator<FastResult> {
  if (PRECISE_FILE.test(text)) {
    yield { kind: 'precise', fromLine: 1 };
    return;
  }
  for (const chunk of documentChunks(text)) {
    const value = chunk.oddEnd ? undefined : readChunk(chunk.text, chunk.contentLine - chunk.startLine);
    if (value === undefined) {
      yield { kind: 'precise', fromLine: chunk.startLine };
      return;
    }
    if (value.document === null) continue; // `~`, `null` or only properties: the precise reader drops them too
    yield { kind: 'document', line: chunk.contentLine, value: value.document };
  }
}

/** The chunk's document, or undefined when the precise reader must read it. */
function readChunk(chunk: string, contentOffset: number): { document: unknown } | undefined {
  // Each alias adds at most one node beyond the shared collections found below, and takes at least two characters.
  if (chunk.length > 2 * MAX_ALIAS_EXPANSION) return undefined;
  if (PROPERTIES_FIRST.test(lineAt(chunk, contentOffset))) return undefined;
  let document: unknown;
  try {
    document = load(chunk, { schema: SCHEMA, json: false });
  } catch {
    return undefined; // the precise reader says where and why
  }
  if (document === undefined || document === null) return { document: null };
  if (listOf(document) !== undefined || sharesCollections(document)) return undefined;
  return { document };
}

/** The 0-based `index`th line of `text`, which has at least that many lines. */
function lineAt(text: string, index: number): string {
  let start = 0;
  for (let line = 0; line < index; line++) start = text.indexOf('\n', start) + 1;
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end);
}

/** Whether an object or array is reached twice: an alias of a collection, whose expansion the precise reader bounds. */
function sharesCollections(value: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === null || typeof next !== 'object') continue;
    if (seen.has(next)) return true;
    seen.add(next);
    if (Array.isArray(next)) for (const item of next) stack.push(item);
    else for (const key in next) stack.push((next as Record<string, unknown>)[key]);
  }
  return false;
}
