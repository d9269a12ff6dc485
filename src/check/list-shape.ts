/**
 * What a manifest document is, and the shape of `kind: List` (kubectl) and typed lists such as `DeploymentList` (the
 * API), which carry their objects under `items`. Pure, and free of any YAML library: both readers use it.
 */
import { isRecord } from '../runtime/json-shape.js';
import type { ManifestError } from './manifest-error.js';

/** One document of a manifest file, or one item of a List in it. */
export interface ManifestDocument {
  /** The file as the user named it (`<stdin>` for `-f -`). */
  readonly file: string;
  /** 1-based line where the document (or the List item) starts. */
  readonly line: number;
  readonly value: unknown;
}

/** A document, or why one could not be read. */
export type ManifestEntry = ManifestDocument | ManifestError;

export interface ListShape {
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
export function withListDefaults(item: unknown, list: ListShape): unknown {
  if (!isRecord(item) || list.itemKind === undefined) return item;
  return {
    ...(item['apiVersion'] === undefined && list.apiVersion !== undefined ? { apiVersion: list.apiVersion } : {}),
    ...(item['kind'] === undefined ? { kind: list.itemKind } : {}),
    ...item,
  };
}
