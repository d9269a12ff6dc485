/**
 * The last gate between registry-supplied text and a Resolution: a tag name, a digest, a media type, a platform,
 * a host named by a redirect or a token realm. Each must have its grammar (printable and bounded) and must not carry
 * a secret sent to the registry (see secrets-in-play.ts); what fails is dropped, or replaced by pullguard's own
 * words. Header values and bodies never get this far: they are parsed into numbers and codes where they arrive.
 */
import { isIP } from 'node:net';
import type { Blocked, Found, IndexEntry, Resolution } from './resolution.js';
import type { SecretsInPlay } from './secrets-in-play.js';

/** distribution/reference's tag grammar. */
export const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,256}$/;
const MEDIA_TYPE = /^[\w.+-]{1,127}\/[\w.+-]{1,127}$/;
const PLATFORM_FIELD = /^[\w.+-]{1,64}$/;
/** Visible ASCII, no spaces: digests and media types of index entries, host names. */
const TOKEN_TEXT = /^[\x21-\x7e]{1,300}$/;
/** Printable ASCII: the short details of failures. */
const DETAIL_TEXT = /^[\x20-\x7e]{1,200}$/;

/** The tags fit to show: the tag grammar, and no secret in them. Order kept. */
export function usableTags(tags: readonly string[], secrets: SecretsInPlay): string[] {
  return tags.filter((tag) => TAG.test(tag) && !secrets.found(tag));
}

/** The index entries, or undefined when any of them carries text unfit to show (a platform finding quotes them). */
export function screenIndex(entries: readonly IndexEntry[], secrets: SecretsInPlay): readonly IndexEntry[] | undefined {
  const fit = (text: string, grammar: RegExp) => grammar.test(text) && !secrets.found(text);
  const ok = entries.every(
    (entry) =>
      fit(entry.digest, TOKEN_TEXT) &&
      (entry.mediaType === '' || fit(entry.mediaType, TOKEN_TEXT)) &&
      (entry.platform === undefined ||
        (fit(entry.platform.os, PLATFORM_FIELD) &&
          fit(entry.platform.architecture, PLATFORM_FIELD) &&
          (entry.platform.variant === undefined || fit(entry.platform.variant, PLATFORM_FIELD)))),
  );
  return ok ? entries : undefined;
}

/**
 * The resolution with every string that may have come from the registry checked. `registryHost` is the image's
 * registry (host[:port] of its API origin): the pod author's own text, shown as it is (screening it would tell them
 * whether a name they chose contains a secret), and named instead of a host the registry pointed us to (a redirect
 * target, a token realm) when that host is unfit to show.
 */
export function screenResolution(resolution: Resolution, secrets: SecretsInPlay, registryHost: string): Resolution {
  const fit = (text: string, grammar: RegExp) => grammar.test(text) && !secrets.found(text);
  switch (resolution.outcome) {
    case 'found':
      return screenFound(resolution, secrets);
    case 'not-found':
      return resolution.suggestions === undefined ? resolution : { ...resolution, suggestions: usableTags(resolution.suggestions, secrets) };
    case 'blocked':
      return screenBlocked(resolution, fit, registryHost);
    case 'unreachable':
      return fit(resolution.detail, DETAIL_TEXT) ? resolution : { ...resolution, detail: 'the registry sent something unusable' };
    case 'invalid':
      return fit(resolution.reason, DETAIL_TEXT) ? resolution : { ...resolution, reason: 'the registry rejects the reference' };
    case 'rate-limited':
    case 'unauthorized':
    case 'timeout':
      return resolution; // numbers and pullguard's own words only
  }
}

function screenFound(found: Found, secrets: SecretsInPlay): Found {
  const { digest, mediaType, index, ...rest } = found;
  const keep = (text: string | undefined, grammar: RegExp) => text !== undefined && grammar.test(text) && !secrets.found(text);
  const screenedIndex = index === undefined ? undefined : screenIndex(index, secrets);
  return {
    ...rest,
    ...(keep(digest, DIGEST) ? { digest } : {}),
    ...(keep(mediaType, MEDIA_TYPE) ? { mediaType } : {}),
    ...(screenedIndex !== undefined ? { index: screenedIndex } : {}),
  };
}

function screenBlocked(blocked: Blocked, fit: (text: string, grammar: RegExp) => boolean, registryHost: string): Blocked {
  const host = blocked.host === registryHost || fit(blocked.host, TOKEN_TEXT) ? blocked.host : `a host that ${registryHost} pointed to`;
  const address = isIP(blocked.address) !== 0 ? blocked.address : '';
  return host === blocked.host && address === blocked.address ? blocked : { ...blocked, host, address };
}
