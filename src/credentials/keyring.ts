/**
 * The kubelet's `BasicDockerKeyring` and `UnionDockerKeyring` (pkg/credentialprovider/keyring.go): which
 * credentials a pull of a repository is attempted with, in which order. docs/design.md §1.4.
 *
 * - A config key loses its scheme and a leading `/v1/` or `/v2/`; what is left (host[:port][/path]) is the index key.
 * - Index keys are tried in reverse lexicographic order, so `quay.io/coreos` comes before `quay.io`.
 * - A key matches when the ports are equal, the hosts have as many labels and each key label globs the image's
 *   label (Go `path.Match`, case-sensitive), and the key's path is a plain string prefix of the image path.
 * - Only when nothing matched, an image on the default registry gets the credentials stored under `index.docker.io`.
 */
import { boundedMemo } from '../runtime/bounded-memo.js';
import type { RegistryCredential } from './credential.js';
import { codePoints, compilePathPattern, matchCompiled, type CompiledPattern } from './path-match.js';
import { parseGoHttpsUrl, splitGoHostPort } from './registry-url.js';

/** One credential for one config key, with the origin used in messages (`secret shop/regcred`, `docker config`). */
export interface KeyringEntry {
  readonly key: string;
  readonly username: string;
  readonly password: string;
  readonly source: string;
}

/** Answers "which credentials, in which order" for a repository. */
export interface Keyring {
  /** The index keys in the order they are tried (reverse lexicographic); for tests and diagnostics. */
  readonly indexKeys: readonly string[];
  /**
   * Credentials to try for `repository` (`domain/path` as from `repositoryName()`, e.g. `docker.io/library/nginx`),
   * most specific key first. Empty means the kubelet pulls anonymously.
   */
  lookup(repository: string): readonly RegistryCredential[];
}

/** Repositories whose answer a keyring remembers: the same list object each time (credential fingerprints). */
const REMEMBERED_REPOSITORIES = 1024;

const DEFAULT_REGISTRY_KEY = 'index.docker.io';
const NO_CREDENTIALS: readonly RegistryCredential[] = Object.freeze([]);

/**
 * A key label longer than this never matches. An image's host label has at most 63 characters (the reference grammar
 * caps it, see src/image/reference-limits.ts), so no useful glob for one comes near this; it bounds one label match to
 * 63 × 255 steps whoever wrote the key (a tenant's pull secret can hold thousands of keys).
 */
export const MAX_KEY_LABEL_LENGTH = 255;

interface IndexKey {
  readonly key: string;
  readonly host: string;
  readonly port: string;
  readonly path: string;
}

/**
 * An index key whose host labels are compiled on the first lookup that gets that far (most keys are ruled out by
 * port, label count or path first), then kept: a keyring answers many lookups. A label without glob characters stays
 * a string and is compared as one.
 */
interface CompiledKey extends IndexKey {
  readonly labelTexts: readonly string[];
  labels?: readonly (string | CompiledPattern)[];
}

/** The image side of a lookup: its host labels, and as code points once for all keys. */
interface ImageKey extends IndexKey {
  readonly labelTexts: readonly string[];
  readonly labels: readonly (readonly number[])[];
}

const GLOB_CHARACTERS = /[*?[\\]/;

/** A keyring over entries in the given order (the order decides only among credentials for the same index key). */
export function createKeyring(entries: readonly KeyringEntry[]): Keyring {
  const credentialsByKey = new Map<string, RegistryCredential[]>();
  const compiledByKey = new Map<string, CompiledKey>();
  for (const entry of entries) {
    const compiled = preparedKey(entry);
    if (compiled === undefined) continue; // the kubelet logs and ignores a key it cannot URL-parse
    const list = credentialsByKey.get(compiled.key) ?? [];
    list.push(Object.freeze({ username: entry.username, password: entry.password, source: entry.source }));
    credentialsByKey.set(compiled.key, list);
    if (!compiledByKey.has(compiled.key)) compiledByKey.set(compiled.key, compiled);
  }
  const index = [...compiledByKey.keys()].sort(reverseByteOrder).map((key) => compiledByKey.get(key) as CompiledKey);
  return Object.freeze({
    indexKeys: Object.freeze(index.map((k) => k.key)),
    lookup: boundedMemo((repository: string): readonly RegistryCredential[] => {
      const image = imageKeyOf(repository);
      const matched = index.filter((key) => keyMatches(key, image)).flatMap((k) => credentialsByKey.get(k.key) ?? []);
      if (matched.length > 0) return Object.freeze(matched);
      if (isDefaultRegistryMatch(repository))
        return Object.freeze([...(credentialsByKey.get(DEFAULT_REGISTRY_KEY) ?? [])]);
      return NO_CREDENTIALS;
    }, REMEMBERED_REPOSITORIES),
  });
}

/** The kubelet's UnionDockerKeyring: each keyring's answer, concatenated in order (pod secrets, then static). */
export function unionKeyrings(keyrings: readonly Keyring[]): Keyring {
  return Object.freeze({
    indexKeys: Object.freeze(keyrings.flatMap((k) => k.indexKeys)),
    lookup: boundedMemo(
      (repository: string) => Object.freeze(keyrings.flatMap((k) => k.lookup(repository))),
      REMEMBERED_REPOSITORIES,
    ),
  });
}

/**
 * The kubelet's `URLsMatchStr(glob, image)` over several globs (a credential provider's `matchImages`, matched in
 * pkg/credentialprovider/plugin/plugin.go `isImageAllowed`): whether any glob matches the repository. Each glob is
 * parsed as `https://` + glob, exactly like an index key; a glob that does not parse never matches.
 */
export function urlGlobsMatcher(globs: readonly string[]): (repository: string) => boolean {
  const keys = globs.filter((glob) => parseGoHttpsUrl(`https://${glob}`) !== undefined).map(compileIndexKey);
  return (repository) => {
    const image = imageKeyOf(repository);
    return keys.some((key) => keyMatches(key, image));
  };
}

/** A keyring with no credentials (anonymous pulls everywhere). */
export const EMPTY_KEYRING: Keyring = createKeyring([]);

/**
 * The index key for a config key (`https://index.docker.io/v1/` → `index.docker.io`,
 * `http://insecure.local:8080/v2/` → `insecure.local:8080`, `quay.io/org` → `quay.io/org`), or undefined when Go's
 * url.Parse would reject it.
 */
export function indexKeyOf(configKey: string): string | undefined {
  const withScheme =
    configKey.startsWith('https://') || configKey.startsWith('http://') ? configKey : `https://${configKey}`;
  const parsed = parseGoHttpsUrl(withScheme);
  if (parsed === undefined) return undefined;
  let path = parsed.path;
  if (path.startsWith('/v2/') || path.startsWith('/v1/')) path = path.slice(3);
  return path.length > 0 && path !== '/' ? parsed.host + path : parsed.host;
}

function parseIndexKey(key: string): IndexKey {
  // The kubelet re-parses both sides as "https://" + string (URLsMatchStr); a failed parse never matches.
  const parsed = parseGoHttpsUrl(`https://${key}`);
  if (parsed === undefined) return { key, host: '\u0000unparseable', port: '\u0000', path: '\u0000' };
  const { host, port } = splitGoHostPort(parsed.host);
  return { key, host, port, path: parsed.path };
}

/**
 * Index keys by entry object: a pod's keyrings are rebuilt from the same (cached) secret entries for each new list of
 * pull secrets, so each key is parsed once, and its labels compiled at most once, per entry.
 */
const preparedKeys = new WeakMap<KeyringEntry, CompiledKey | null>();

function preparedKey(entry: KeyringEntry): CompiledKey | undefined {
  let prepared = preparedKeys.get(entry);
  if (prepared === undefined) {
    const key = indexKeyOf(entry.key);
    prepared = key === undefined ? null : compileIndexKey(key);
    preparedKeys.set(entry, prepared);
  }
  return prepared ?? undefined;
}

function imageKeyOf(repository: string): ImageKey {
  const parsed = parseIndexKey(repository);
  const labelTexts = parsed.host.split('.');
  return { ...parsed, labelTexts, labels: labelTexts.map(codePoints) };
}

function compileIndexKey(key: string): CompiledKey {
  const parsed = parseIndexKey(key);
  return { ...parsed, labelTexts: parsed.host.split('.') };
}

function keyMatches(key: CompiledKey, image: ImageKey): boolean {
  if (key.port !== image.port) return false;
  if (key.labelTexts.length !== image.labels.length) return false;
  if (!image.path.startsWith(key.path)) return false;
  key.labels ??= key.labelTexts.map(compileLabel);
  const labels = key.labels;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as string | CompiledPattern;
    const matches =
      typeof label === 'string'
        ? label === image.labelTexts[i]
        : matchCompiled(label, image.labels[i] as readonly number[]) === true;
    if (!matches) return false;
  }
  return true;
}

function compileLabel(label: string): string | CompiledPattern {
  if (label.length > MAX_KEY_LABEL_LENGTH) return 'bad-pattern';
  return GLOB_CHARACTERS.test(label) ? compilePathPattern(label) : label;
}

/** isDefaultRegistryMatch: no host-looking first segment (no '.' or ':'), or `docker.io` / `index.docker.io`. */
function isDefaultRegistryMatch(repository: string): boolean {
  const slash = repository.indexOf('/');
  const first = slash < 0 ? repository : repository.slice(0, slash);
  if (first === '') return false;
  if (slash < 0) return true;
  if (first === 'docker.io' || first === 'index.docker.io') return true;
  return !/[.:]/.test(first);
}

/** Go's sort.Reverse(sort.StringSlice): byte order, descending (keys are ASCII in practice). */
function reverseByteOrder(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
