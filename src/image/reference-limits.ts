/**
 * Length limits checked before and after the reference grammar runs, so untrusted image strings cost work bounded by
 * a few hundred characters whatever their length.
 *
 * distribution/reference v0.6.0 caps the repository path at 255 characters (RepositoryNameTotalLengthMax, the path
 * only), the tag at 128 and, through go-digest, a digest of a registered algorithm to its exact length. It does not
 * cap the domain; DNS does (RFC 1035 §2.3.4: labels of at most 63 octets, names of at most 255 on the wire, so 253
 * characters as text without a trailing dot), and Go's resolver refuses longer names (net.isDomainName), so the
 * kubelet could never pull from such a host. A port has at most 5 digits (65535).
 */

const MAX_HOST_LENGTH = 253;
const MAX_HOST_LABEL_LENGTH = 63;
const MAX_PORT_DIGITS = 5;
/** reference.RepositoryNameTotalLengthMax: the path only, after normalization (`library/` included). */
export const REPOSITORY_NAME_MAX = 255;
const MAX_TAG_LENGTH = 128;
/** `sha512:` and 128 hex digits: the longest digest go-digest accepts with the algorithms the kubelet registers. */
const MAX_DIGEST_LENGTH = 'sha512:'.length + 128;

/**
 * No valid reference is longer: host:port, '/', path, ':' tag, '@' digest. Longer text is refused before any
 * regular expression sees it.
 */
export const MAX_REFERENCE_LENGTH =
  MAX_HOST_LENGTH + 1 + MAX_PORT_DIGITS + 1 + REPOSITORY_NAME_MAX + 1 + MAX_TAG_LENGTH + 1 + MAX_DIGEST_LENGTH;

/** Why a domain (`host[:port]` as the grammar captured it) exceeds the limits, or undefined when it does not. */
export function domainLengthProblem(domain: string): string | undefined {
  const { host, port } = splitDomain(domain);
  if (host.length > MAX_HOST_LENGTH) return `registry host is longer than ${MAX_HOST_LENGTH} characters`;
  if (port.length > MAX_PORT_DIGITS) return `registry port has more than ${MAX_PORT_DIGITS} digits`;
  if (host.startsWith('[')) return undefined; // an IPv6 literal has no DNS labels
  let labelStart = 0;
  for (let i = 0; i <= host.length; i++) {
    if (i < host.length && host[i] !== '.') continue;
    if (i - labelStart > MAX_HOST_LABEL_LENGTH) {
      return `a registry host label is longer than ${MAX_HOST_LABEL_LENGTH} characters`;
    }
    labelStart = i + 1;
  }
  return undefined;
}

/** Host and port of a grammar-checked domain: the port follows the last ':' after any IPv6 literal's ']'. */
function splitDomain(domain: string): { host: string; port: string } {
  const close = domain.lastIndexOf(']');
  const colon = domain.lastIndexOf(':');
  if (colon < 0 || colon < close) return { host: domain, port: '' };
  return { host: domain.slice(0, colon), port: domain.slice(colon + 1) };
}
