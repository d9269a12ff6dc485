/**
 * The platforms of image indexes / manifest lists by digest. A digest names immutable content, so an entry never
 * goes stale: the platform check costs one GET per index digest for the life of the process (bounded LRU). Only the
 * compact, size-capped form is kept (platform/index-platforms.ts), never the parsed body.
 */
import { LRUCache } from 'lru-cache';
import { compactIndexPlatforms, type IndexPlatforms } from '../../platform/index-platforms.js';
import { isIndexBody } from '../transport/registry-json.js';

export interface IndexCache {
  get(digest: string): IndexPlatforms | undefined;
  set(digest: string, index: IndexPlatforms): void;
}

export function createIndexCache(max = 10_000): IndexCache {
  const cache = new LRUCache<string, IndexPlatforms>({ max });
  return {
    get: (digest) => cache.get(digest),
    set: (digest, index) => void cache.set(digest, index),
  };
}

/** The platforms of a parsed manifest, or undefined when it is not an index. */
export function indexPlatformsOf(manifest: unknown): IndexPlatforms | undefined {
  if (!isIndexBody(manifest)) return undefined;
  return compactIndexPlatforms(manifest.manifests.map((m) => m.platform));
}
