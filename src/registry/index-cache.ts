/**
 * Image index / manifest list entries by digest. A digest names immutable content, so an entry never goes stale:
 * the platform check costs one GET per index digest for the life of the process (bounded LRU).
 */
import { LRUCache } from 'lru-cache';
import type { Platform } from '../platform/platform.js';
import { parseIndexBody } from './registry-json.js';
import type { IndexEntry } from './resolution.js';

export interface IndexCache {
  get(digest: string): readonly IndexEntry[] | undefined;
  set(digest: string, entries: readonly IndexEntry[]): void;
}

export function createIndexCache(max = 10_000): IndexCache {
  const cache = new LRUCache<string, readonly IndexEntry[]>({ max });
  return {
    get: (digest) => cache.get(digest),
    set: (digest, entries) => void cache.set(digest, entries),
  };
}

/** The entries of an index body, or undefined when the body is not an index. */
export function parseIndexEntries(bytes: Buffer | undefined): readonly IndexEntry[] | undefined {
  const body = parseIndexBody(bytes);
  if (!body) return undefined;
  return Object.freeze(
    body.manifests.map((m): IndexEntry => {
      const platform: Platform | undefined = m.platform
        ? {
            os: m.platform.os,
            architecture: m.platform.architecture,
            ...(m.platform.variant ? { variant: m.platform.variant } : {}),
          }
        : undefined;
      return {
        digest: m.digest,
        mediaType: m.mediaType ?? '',
        ...(platform ? { platform } : {}),
      };
    }),
  );
}
