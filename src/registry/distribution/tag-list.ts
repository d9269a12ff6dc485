/**
 * `GET /v2/<path>/tags/list` for suggestions, following `Link: <…>; rel="next"` pagination up to a bound, cached per
 * (origin, repository, credential). Best effort: any failure is `undefined`, never an outcome of its own. A 404
 * `NAME_UNKNOWN` is the registry telling us the whole repository is missing (Distribution does exactly that).
 *
 * Memory is bounded whatever the registry lists: only tags the reference grammar allows are kept (128 characters
 * at most), at most `maxTags` of them per listing, and the cache holds at most {@link TAG_CACHE_BYTES} of tags.
 */
import { LRUCache } from 'lru-cache';
import { linkedDeadline } from '../../runtime/linked-deadline.js';
import { sendAuthorized, type RegistryClientDeps } from '../auth/authorized-request.js';
import type { AuthTarget } from '../auth/authenticator.js';
import { errorCodes, parseTagList } from '../transport/registry-json.js';
import { usableTags } from '../transport/registry-text.js';
import { secretsInPlay } from '../transport/secrets-in-play.js';
import { single } from '../transport/status-classification.js';
import { credentialFingerprint } from '../../credentials/credential-fingerprint.js';

/** Heap the cached listings may take, by {@link listingBytes}: a few node-sized (10,000 tags) listings. */
export const TAG_CACHE_BYTES = 16 * 1024 * 1024;

export type TagListing =
  { readonly kind: 'tags'; readonly tags: readonly string[] } | { readonly kind: 'repository-missing' };

export interface TagLister {
  list(target: AuthTarget): Promise<TagListing | undefined>;
}

export interface TagListerOptions {
  readonly ttlMs: number;
  /** Per listing, on top of the caller's deadline. */
  readonly timeoutMs: number;
  readonly maxPages?: number;
  readonly maxTags?: number;
}

export function createTagLister(deps: RegistryClientDeps, options: TagListerOptions): TagLister {
  const maxPages = options.maxPages ?? 5;
  const maxTags = options.maxTags ?? 10_000;
  const cache = new LRUCache<string, TagListing>({
    max: 500,
    ttl: options.ttlMs,
    maxSize: TAG_CACHE_BYTES,
    sizeCalculation: listingBytes,
  });

  const fetchAll = async (target: AuthTarget): Promise<TagListing | undefined> => {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${target.repositoryPath}/tags/list?n=1000`;
    for (let page = 0; path !== undefined && page < maxPages && tags.length < maxTags; page++) {
      const result = await sendAuthorized(deps, target, { path, method: 'GET', readBody: true });
      if (!result.ok) return undefined;
      const { response } = result;
      if (response.status === 404 && errorCodes(response.body).includes('NAME_UNKNOWN')) {
        return page === 0 ? { kind: 'repository-missing' } : undefined;
      }
      if (response.status !== 200) return undefined;
      const list = parseTagList(response.body);
      if (!list) return undefined;
      // Tags are registry text that a denial message quotes: only well-formed ones without a secret sent to it.
      const usable = usableTags(list.tags ?? [], target.secrets ?? secretsInPlay([target.credential]));
      for (const tag of usable) if (tags.length < maxTags) tags.push(tag);
      path = nextPage(single(response.headers.link), target.origin);
    }
    return { kind: 'tags', tags };
  };

  return {
    async list(target) {
      const key = `${target.origin}/${target.repositoryPath}\n${credentialFingerprint(target.credential)}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const deadline = linkedDeadline(target.signal, options.timeoutMs, 'tag list timed out');
      try {
        const listing = await fetchAll({ ...target, signal: deadline.signal });
        if (listing) cache.set(key, listing);
        return listing;
      } catch {
        return undefined; // suggestions are best effort (docs/design.md §1.3)
      } finally {
        deadline.release();
      }
    },
  };
}

/**
 * Heap one cached listing takes, at most: per tag a pointer (8 bytes) and a string (16 bytes of header, the
 * characters rounded up to 8), plus the objects around them.
 */
export function listingBytes(listing: TagListing): number {
  if (listing.kind !== 'tags') return 64;
  let bytes = 64;
  for (const tag of listing.tags) bytes += 32 + tag.length;
  return bytes;
}

/** The path of the `rel="next"` link, only when it stays on the registry's origin (credentials go nowhere else). */
export function nextPage(link: string | undefined, origin: string): string | undefined {
  if (link === undefined) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*(.*)$/.exec(part);
    if (!match || !/(^|;)\s*rel="?next"?\s*(;|$)/i.test(match[2] as string)) continue;
    try {
      const url = new URL(match[1] as string, origin);
      return url.origin === origin ? url.pathname + url.search : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
