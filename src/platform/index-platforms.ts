/**
 * What the platform check needs of an image index, and nothing else: its distinct platforms, in a form whose size
 * is capped whatever the registry sent. The parsed index (up to 4 MiB, thousands of entries) is never kept; this is
 * what the index cache and the result cache hold. docs/benchmarks.md ("Memory per cached result") has the arithmetic.
 *
 * Caps, and why they never cost a wrong denial: a platform field longer than {@link MAX_PLATFORM_FIELD_LENGTH} or
 * outside `[A-Za-z0-9._-]`, a platform past the first {@link MAX_INDEX_PLATFORMS} distinct ones, or one that does
 * not fit in {@link MAX_PLATFORMS_TEXT_LENGTH} characters is dropped and the set marked `incomplete`; the check then
 * cannot claim that a candidate is unserved (match-platform.ts: status `unknown`). Real platforms are short
 * identifiers (GOOS/GOARCH values and `v7`, `v8.2`…; the longest, `mips64p32le`, has 11 characters) and the widest
 * real indexes declare about 15 of them (some 200 characters as kept here), so real indexes are never cut. The caps
 * are as small as that allows because every cached result may hold one such string (P5 in docs/benchmarks.md).
 */
import type { Platform } from './platform.js';

export const MAX_PLATFORM_FIELD_LENGTH = 32;
export const MAX_INDEX_PLATFORMS = 32;
export const MAX_PLATFORMS_TEXT_LENGTH = 256;

export interface IndexPlatforms {
  /**
   * The distinct platforms of the entries as `os/architecture/variant` (each field possibly empty), separated by
   * spaces, in index order, as spelled in the index (normalizing is the matcher's job: match-platform.ts).
   * One flat string: a single small allocation per index.
   */
  readonly platforms: string;
  /** Some entry declares no platform: containerd then reads its config, so it may serve any node. */
  readonly unplatformed: boolean;
  /** Some entry's platform was dropped (see the caps above): what the index serves is not fully known. */
  readonly incomplete: boolean;
}

/** An index whose platforms pullguard did not read (its body is over the parse cap): nothing can be claimed. */
export const UNREAD_INDEX_PLATFORMS: IndexPlatforms = Object.freeze({
  platforms: '',
  unplatformed: false,
  incomplete: true,
});

const FIELD = new RegExp(`^[A-Za-z0-9._-]{0,${MAX_PLATFORM_FIELD_LENGTH}}$`);

/** The compact form of an index whose entries declare these platforms (`undefined`: an entry without one). */
export function compactIndexPlatforms(entries: Iterable<Platform | undefined>): IndexPlatforms {
  const kept: string[] = [];
  let length = 0;
  let unplatformed = false;
  let incomplete = false;
  const seen = new Set<string>();
  for (const platform of entries) {
    if (platform === undefined) {
      unplatformed = true;
      continue;
    }
    const variant = platform.variant ?? '';
    if (!FIELD.test(platform.os) || !FIELD.test(platform.architecture) || !FIELD.test(variant)) {
      incomplete = true;
      continue;
    }
    const text = `${platform.os}/${platform.architecture}/${variant}`;
    if (seen.has(text)) continue;
    const added = (kept.length > 0 ? 1 : 0) + text.length;
    if (kept.length >= MAX_INDEX_PLATFORMS || length + added > MAX_PLATFORMS_TEXT_LENGTH) {
      incomplete = true;
      continue;
    }
    seen.add(text);
    kept.push(text);
    length += added;
  }
  // Short strings joined: nothing of the parsed body is kept.
  return Object.freeze({ platforms: kept.join(' '), unplatformed, incomplete });
}

/** The platforms of a compact index, as `Platform` objects (new ones on every call). */
export function indexPlatformList(index: IndexPlatforms): Platform[] {
  if (index.platforms === '') return [];
  return index.platforms.split(' ').map((text) => {
    const [os = '', architecture = '', variant = ''] = text.split('/');
    return variant === '' ? { os, architecture } : { os, architecture, variant };
  });
}
