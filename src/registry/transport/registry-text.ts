/**
 * The last gate between registry-supplied text and a Resolution: a tag name, a digest, a media type, a platform,
 * a host named by a redirect or a token realm. Each must have its grammar (printable and bounded) and must not carry
 * a secret sent to the registry (see secrets-in-play.ts); what fails is dropped, or replaced by pullguard's own
 * words. Header values and bodies never get this far: they are parsed into numbers and codes where they arrive.
 */
import { isIP } from 'node:net';
import type { IndexPlatforms } from '../../platform/index-platforms.js';
import type { Blocked, Found, Resolution } from '../../resolution/resolution.js';
import type { SecretsInPlay } from './secrets-in-play.js';

/** distribution/reference's tag grammar. */
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,256}$/;
const MEDIA_TYPE = /^[\w.+-]{1,127}\/[\w.+-]{1,127}$/;
/** Visible ASCII, no spaces: host names. */
const TOKEN_TEXT = /^[\x21-\x7e]{1,300}$/;
/** Printable ASCII: the short details of failures. */
const DETAIL_TEXT = /^[\x20-\x7e]{1,200}$/;

/** The tags fit to show: the tag grammar, and no secret in them. Order kept. */
export function usableTags(tags: readonly string[], secrets: SecretsInPlay): string[] {
  return tags.filter((tag) => TAG.test(tag) && !secrets.found(tag));
}

/**
 * The index's platforms, or undefined when any of them carries a secret (a platform finding quotes them). Their
 * grammar is already enforced where the compact form is built (platform/index-platforms.ts).
 */
export function screenIndex(index: IndexPlatforms, secrets: SecretsInPlay): IndexPlatforms | undefined {
  if (index.platforms === '') return index;
  const carriesSecret =
    secrets.found(index.platforms) ||
    index.platforms.split(/[ /]/).some((field) => field !== '' && secrets.found(field));
  return carriesSecret ? undefined : index;
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
      return resolution.suggestions === undefined
        ? resolution
        : { ...resolution, suggestions: usableTags(resolution.suggestions, secrets) };
    case 'blocked':
      return screenBlocked(resolution, fit, registryHost);
    case 'unreachable':
      return fit(resolution.detail, DETAIL_TEXT)
        ? resolution
        : { ...resolution, detail: 'the registry sent something unusable' };
    case 'invalid':
      return fit(resolution.reason, DETAIL_TEXT)
        ? resolution
        : { ...resolution, reason: 'the registry rejects the reference' };
    case 'rate-limited':
    case 'unauthorized':
    case 'timeout':
      return resolution; // numbers and pullguard's own words only
  }
}

function screenFound(found: Found, secrets: SecretsInPlay): Found {
  const { digest, mediaType, index, ...rest } = found;
  const keep = (text: string | undefined, grammar: RegExp) =>
    text !== undefined && grammar.test(text) && !secrets.found(text);
  const screenedIndex = index === undefined ? undefined : screenIndex(index, secrets);
  return {
    ...rest,
    ...(keep(digest, DIGEST) ? { digest } : {}),
    ...(keep(mediaType, MEDIA_TYPE) ? { mediaType } : {}),
    ...(screenedIndex !== undefined ? { index: screenedIndex } : {}),
  };
}

function screenBlocked(
  blocked: Blocked,
  fit: (text: string, grammar: RegExp) => boolean,
  registryHost: string,
): Blocked {
  const host =
    blocked.host === registryHost || fit(blocked.host, TOKEN_TEXT)
      ? blocked.host
      : `a host that ${registryHost} pointed to`;
  const address = isIP(blocked.address) !== 0 ? blocked.address : '';
  return host === blocked.host && address === blocked.address ? blocked : { ...blocked, host, address };
}
