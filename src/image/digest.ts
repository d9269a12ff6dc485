/**
 * Digest validation as opencontainers/go-digest v1.0.0 `Digest.Validate` does it
 * (https://github.com/opencontainers/go-digest/blob/v1.0.0/digest.go), with the algorithms the kubelet registers:
 * sha256, sha384 and sha512, hex-encoded in lower case. The error texts are go-digest's.
 */

/** Hex length of each registered algorithm (its size in bytes × 2). A Map, so `constructor:` is never "registered". */
const HEX_LENGTH_BY_ALGORITHM: ReadonlyMap<string, number> = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);

/** go-digest `DigestRegexpAnchored`: the generic shape any (even unregistered) digest must have. */
const GENERIC_DIGEST_REGEXP = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const LOWER_HEX_REGEXP = /^[a-f0-9]+$/;

const DIGEST_INVALID_FORMAT = 'invalid checksum digest format';
const DIGEST_INVALID_LENGTH = 'invalid checksum digest length';
const DIGEST_UNSUPPORTED = 'unsupported digest algorithm';

/** Returns go-digest's error text for an invalid digest, or undefined when `digest` is valid. */
export function digestProblem(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  if (colon <= 0 || colon + 1 === digest.length) return DIGEST_INVALID_FORMAT;
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  const hexLength = HEX_LENGTH_BY_ALGORITHM.get(algorithm);
  if (hexLength === undefined) {
    // go-digest: an unknown algorithm is "unsupported" only if the digest is otherwise well-formed.
    return GENERIC_DIGEST_REGEXP.test(digest) ? DIGEST_UNSUPPORTED : DIGEST_INVALID_FORMAT;
  }
  if (encoded.length !== hexLength) return DIGEST_INVALID_LENGTH;
  return LOWER_HEX_REGEXP.test(encoded) ? undefined : DIGEST_INVALID_FORMAT;
}
