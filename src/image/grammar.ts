/**
 * The reference grammar, built from the same named pieces as distribution/reference v0.6.0 `regexp.go`
 * (https://github.com/distribution/reference/blob/v0.6.0/regexp.go), so a reviewer can compare them line by line.
 *
 * Go's RE2 picks submatches the way a backtracking engine would (leftmost-first), so the JavaScript engine yields
 * the same captures. Every character class is ASCII-only, as in Go. All regexps are compiled once at module load.
 */

/** Wraps the pieces in a non-capturing group and makes it optional. */
const optional = (...res: string[]): string => `(?:${res.join('')})?`;
/** Wraps the pieces in a non-capturing group that may repeat any number of times. */
const anyTimes = (...res: string[]): string => `(?:${res.join('')})*`;
/** Wraps the pieces in a capturing group. */
const capture = (...res: string[]): string => `(${res.join('')})`;
/** Anchors the pieces at the start and end of the input. */
const anchored = (...res: string[]): string => `^${res.join('')}$`;

/** Lower-case letters and digits: the atom of path components. */
const alphanumeric = '[a-z0-9]+';
/** One period, one or two underscores, or any number of dashes. */
const separator = '(?:[._]|__|[-]+)';
/** One DNS-ish label; upper case is allowed in the domain (not in the path). */
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
/** A port number; deliberately not range-checked (`example.com:99999` parses, as in Go). */
const optionalPort = '(?::[0-9]+)?';
/** Tag: a word character, then up to 127 word characters, dots or dashes (128 at most). */
const tag = '[\\w][\\w.-]{0,127}';
/** Digest as the reference grammar admits it; go-digest validates it further (see digest.ts). */
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}';
/** A bare sha256 hex identifier, which ParseNormalizedNamed refuses as a name. */
const identifier = '([a-f0-9]{64})';
/** IPv6 literal in brackets: hex digits and colons only (no zone id, no embedded IPv4). */
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = domainNameComponent + anyTimes('\\.', domainNameComponent);
const host = `(?:${domainName}|${ipv6address})`;
const domainAndPort = host + optionalPort;

const pathComponent = alphanumeric + anyTimes(separator, alphanumeric);
const remoteName = pathComponent + anyTimes('/', pathComponent);
const namePat = optional(domainAndPort, '/') + remoteName;
const anchoredNamePat = anchored(optional(capture(domainAndPort), '/'), capture(remoteName));
const referencePat = anchored(capture(namePat), optional(':', capture(tag)), optional('@', capture(digestPat)));

/** Full reference; captures 1 = name, 2 = tag, 3 = digest. */
export const REFERENCE_REGEXP = new RegExp(referencePat);
/** A name only; captures 1 = domain (may be absent), 2 = path. */
export const ANCHORED_NAME_REGEXP = new RegExp(anchoredNamePat);
/** A bare 64-hex identifier. */
export const ANCHORED_IDENTIFIER_REGEXP = new RegExp(anchored(identifier));
