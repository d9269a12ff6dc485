/**
 * Image references parsed and normalized exactly like `ParseNormalizedNamed` in github.com/distribution/reference
 * v0.6.0 (normalize.go + reference.go), the parser the kubelet and containerd use. docs/design.md §1.2.
 *
 * Never split an image on ':' by hand: `localhost:5000` is Docker Hub's `library/localhost` with tag `5000`,
 * while `localhost:5000/foo` is a registry on port 5000. Only the grammar in grammar.ts can tell.
 */
import { boundedMemo } from '../runtime/bounded-memo.js';
import { digestProblem } from './digest.js';
import { ANCHORED_IDENTIFIER_REGEXP, ANCHORED_NAME_REGEXP, REFERENCE_REGEXP } from './grammar.js';
import { domainLengthProblem, MAX_REFERENCE_LENGTH, REPOSITORY_NAME_MAX } from './reference-limits.js';

/** A parsed, normalized reference. `domain` is never empty in a successful parse. */
export interface ImageReference {
  readonly domain: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

export type ParseResult =
  { readonly ok: true; readonly reference: ImageReference } | { readonly ok: false; readonly reason: string };

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const DEFAULT_TAG = 'latest';

// The error texts of distribution/reference and go-digest, verbatim (users compare them with `docker pull` output).
const ERR_INVALID_FORMAT = 'invalid reference format';
const ERR_NAME_UPPERCASE = 'repository name must be lowercase';
const ERR_NAME_EMPTY = 'repository name must have at least one component';
const ERR_NAME_TOO_LONG = `repository name must not be more than ${REPOSITORY_NAME_MAX} characters`;

const fail = (reason: string): ParseResult => Object.freeze({ ok: false, reason });
const TOO_LONG = fail(
  `${ERR_INVALID_FORMAT}: longer than ${MAX_REFERENCE_LENGTH} characters, the longest a valid reference can be`,
);

/**
 * ParseNormalizedNamed. A parse whose domain comes out empty (e.g. `ex_ample.com/app`, where the first segment
 * looks like a host but is not a valid one) is `{ ok: false }`: there is no registry to ask. Memoized: the same
 * text gives the same frozen result, so the strings derived from it below are computed once. Text longer than any
 * valid reference is refused before a regular expression sees it (a tenant's megabytes of image string must not
 * cost a backtracking engine's time or stack).
 */
export function parseImageReference(text: string): ParseResult {
  return text.length > MAX_REFERENCE_LENGTH ? TOO_LONG : parseRemembered(text);
}

const parseRemembered = boundedMemo(parseUncached, 4096);

function parseUncached(text: string): ParseResult {
  if (ANCHORED_IDENTIFIER_REGEXP.test(text)) {
    return fail(`invalid repository name (${text}), cannot specify 64-byte hexadecimal strings`);
  }
  const [domain, remainder] = splitDockerDomain(text);
  const tagSeparator = remainder.indexOf(':');
  const remote = tagSeparator > -1 ? remainder.slice(0, tagSeparator) : remainder;
  if (remote.toLowerCase() !== remote) {
    return fail(`${ERR_INVALID_FORMAT}: repository name (${remote}) must be lowercase`);
  }
  const parsed = parse(`${domain}/${remainder}`);
  if (parsed.ok && parsed.reference.domain === '') {
    return fail(`${ERR_INVALID_FORMAT}: registry host (${domain}) is not a valid domain name`);
  }
  return parsed;
}

/**
 * splitDockerDomain: the heuristic that decides whether the first segment is a registry host. It runs before the
 * grammar, so the grammar may still disagree (which is how an empty domain can come out of a parse).
 */
function splitDockerDomain(name: string): [domain: string, remainder: string] {
  const slash = name.indexOf('/');
  if (slash === -1) {
    // Single-segment "familiar" names are always Docker Hub, even `localhost` or `example.com`.
    return [DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + name];
  }
  const maybeDomain = name.slice(0, slash);
  const maybeRemote = name.slice(slash + 1);
  let domain: string;
  let remote: string;
  if (maybeDomain === 'localhost') {
    [domain, remote] = [maybeDomain, maybeRemote];
  } else if (maybeDomain === LEGACY_DEFAULT_DOMAIN) {
    [domain, remote] = [DEFAULT_DOMAIN, maybeRemote];
  } else if (maybeDomain.includes('.') || maybeDomain.includes(':')) {
    [domain, remote] = [maybeDomain, maybeRemote];
  } else if (maybeDomain.toLowerCase() !== maybeDomain) {
    // v0.6: path components are never upper case, so an upper-case first segment must be a host.
    [domain, remote] = [maybeDomain, maybeRemote];
  } else {
    [domain, remote] = [DEFAULT_DOMAIN, name];
  }
  if (domain === DEFAULT_DOMAIN && !remote.includes('/')) remote = OFFICIAL_REPO_PREFIX + remote;
  return [domain, remote];
}

/** reference.Parse: the full grammar, the path length limit and digest validation. */
function parse(text: string): ParseResult {
  if (text === '') return fail(ERR_NAME_EMPTY);
  const matches = REFERENCE_REGEXP.exec(text);
  if (matches === null) {
    const lower = text.toLowerCase();
    // Parses once lower-cased, so the only problem is upper case in the repository name.
    if (lower !== text && REFERENCE_REGEXP.test(lower)) return fail(ERR_NAME_UPPERCASE);
    return fail(ERR_INVALID_FORMAT);
  }
  const name = matches[1] ?? '';
  const tag = matches[2] ?? '';
  const digest = matches[3] ?? '';
  const nameMatch = ANCHORED_NAME_REGEXP.exec(name);
  const domain = nameMatch?.[1] ?? '';
  const path = nameMatch ? (nameMatch[2] ?? '') : name;
  if (path.length > REPOSITORY_NAME_MAX) return fail(ERR_NAME_TOO_LONG);
  const domainProblem = domainLengthProblem(domain);
  if (domainProblem !== undefined) return fail(`${ERR_INVALID_FORMAT}: ${domainProblem}`);
  if (digest !== '') {
    const problem = digestProblem(digest);
    if (problem !== undefined) return fail(problem);
  }
  if (path === '') return fail(ERR_NAME_EMPTY);
  const reference: ImageReference = {
    domain,
    path,
    ...(tag !== '' ? { tag } : {}),
    ...(digest !== '' ? { digest } : {}),
  };
  return Object.freeze({ ok: true, reference: Object.freeze(reference) });
}

// Parsed references are shared and frozen (see parseImageReference), so their strings are computed once each.
const canonicalNames = new WeakMap<ImageReference, string>();
const repositoryNames = new WeakMap<ImageReference, string>();

/** `domain/path:tag`, `domain/path@digest`, `domain/path:tag@digest`; implicit `:latest` written out when neither. */
export function canonicalReference(ref: ImageReference): string {
  let canonical = canonicalNames.get(ref);
  if (canonical === undefined) {
    const name = repositoryName(ref);
    if (ref.digest === undefined) canonical = `${name}:${ref.tag ?? DEFAULT_TAG}`;
    else canonical = ref.tag === undefined ? `${name}@${ref.digest}` : `${name}:${ref.tag}@${ref.digest}`;
    canonicalNames.set(ref, canonical);
  }
  return canonical;
}

/** `domain/path` (what the kubelet keyring is queried with). */
export function repositoryName(ref: ImageReference): string {
  let name = repositoryNames.get(ref);
  if (name === undefined) {
    name = ref.domain === '' ? ref.path : `${ref.domain}/${ref.path}`;
    repositoryNames.set(ref, name);
  }
  return name;
}

/** The host:port the registry API is called on: `docker.io` -> `registry-1.docker.io`, else the domain as written. */
export function registryApiHost(domain: string): string {
  return domain === DEFAULT_DOMAIN ? DOCKER_HUB_API_HOST : domain;
}

/** Whether the reference is on Docker Hub (domain docker.io). */
export function isDockerHub(ref: ImageReference): boolean {
  return ref.domain === DEFAULT_DOMAIN;
}
