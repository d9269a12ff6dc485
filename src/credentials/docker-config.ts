/**
 * Docker config parsing exactly as the kubelet does it (pkg/credentialprovider/config.go): the `{"auths": {...}}`
 * shape of `config.json` and `kubernetes.io/dockerconfigjson` Secrets, and the bare map of legacy
 * `kubernetes.io/dockercfg` Secrets. docs/design.md §1.4.
 *
 * Problems name what failed and the registry key, never any part of a username, password or `auth` value.
 */
import { PullguardError } from '../errors/pullguard-error.js';
import { isRecord } from '../runtime/json-shape.js';

/** One registry key of a Docker config with the username/password the kubelet derives from it. */
export interface DockerConfigEntry {
  /** The registry key exactly as written (`https://index.docker.io/v1/`, `ghcr.io`, `registry.example.com/team`). */
  readonly key: string;
  readonly username: string;
  readonly password: string;
}

export type DockerConfigParse =
  | { readonly ok: true; readonly entries: readonly DockerConfigEntry[] }
  /** `overLimit`: well-formed, perhaps, but larger than pullguard evaluates. */
  | { readonly ok: false; readonly problem: string; readonly overLimit?: true };

/** Thrown by {@link dockerConfigEntriesOrThrow} (start-up path); `problem` holds no secret material. */
export class DockerConfigError extends PullguardError {
  declare readonly code: 'PG_DOCKER_CONFIG_INVALID';
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super('PG_DOCKER_CONFIG_INVALID', `Cannot use Docker config ${source}: ${problem}`);
    this.name = 'DockerConfigError';
  }
}

/**
 * Go's encoding/json accepts an object or null where a struct or map is expected; everything else is an error.
 * A plain check, not a schema: a Secret can hold tens of thousands of entries.
 */
function isObjectOrNull(value: unknown): value is Record<string, unknown> | null {
  return value === null || isRecord(value);
}

/** `config.json` / `.dockerconfigjson`: `{"auths": {"<key>": {entry}}}`. A missing `auths` means no credentials. */
export function parseDockerConfigJson(text: string): DockerConfigParse {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  if (!isObjectOrNull(parsed.value)) return { ok: false, problem: 'not a JSON object' };
  const auths = parsed.value === null ? undefined : goField(parsed.value, 'auths');
  if (auths === undefined) return { ok: true, entries: [] };
  return entriesOf(auths, '"auths"');
}

/** `.dockercfg` (legacy): the bare map `{"<key>": {entry}}`. */
export function parseDockercfg(text: string): DockerConfigParse {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  return entriesOf(parsed.value, 'the config');
}

/** For the static `credentials.dockerConfig` file: entries, or a {@link DockerConfigError}. */
export function dockerConfigEntriesOrThrow(text: string, source: string): readonly DockerConfigEntry[] {
  const result = parseDockerConfigJson(text);
  if (!result.ok) throw new DockerConfigError(source, result.problem);
  return result.entries;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    // The SyntaxError message quotes the input, which may be secret: keep only our own words.
    return { ok: false, problem: 'not valid JSON' };
  }
}

/**
 * Registry keys one docker config may have. Real ones list a few registries; a megabyte of tiny keys (over 100,000)
 * would cost every review that reads the secret most of a second of parsing, indexing and glob matching.
 */
export const MAX_REGISTRY_KEYS = 1000;

function entriesOf(map: unknown, what: string): DockerConfigParse {
  if (!isObjectOrNull(map)) return { ok: false, problem: `${what} is not a JSON object` };
  const count = map === null ? 0 : Object.keys(map).length;
  if (count > MAX_REGISTRY_KEYS) {
    return {
      ok: false,
      overLimit: true,
      problem: `${what} has ${count} registry keys; pullguard accepts at most ${MAX_REGISTRY_KEYS}`,
    };
  }
  const entries: DockerConfigEntry[] = [];
  for (const [key, raw] of Object.entries(map ?? {})) {
    const entry = parseEntry(key, raw);
    if ('problem' in entry) return { ok: false, problem: `entry ${quotedKey(key)}: ${entry.problem}` };
    entries.push(entry);
  }
  return { ok: true, entries };
}

/** Longest registry key quoted in full in a problem; a Secret can hold a megabyte-long key. */
const MAX_QUOTED_KEY = 100;

function quotedKey(key: string): string {
  return key.length <= MAX_QUOTED_KEY
    ? JSON.stringify(key)
    : `${JSON.stringify(key.slice(0, MAX_QUOTED_KEY))}… (${key.length} characters)`;
}

const ENTRY_FIELDS = ['username', 'password', 'email', 'auth'] as const;
type EntryField = (typeof ENTRY_FIELDS)[number];
const LONGEST_FIELD = Math.max(...ENTRY_FIELDS.map((name) => name.length));

function parseEntry(key: string, raw: unknown): DockerConfigEntry | { problem: string } {
  if (!isObjectOrNull(raw)) return { problem: 'is not a JSON object' };
  const found = raw === null ? new Map<EntryField, unknown>() : entryFields(raw);
  const fields: Record<EntryField, string> = { username: '', password: '', email: '', auth: '' };
  for (const name of ENTRY_FIELDS) {
    const value = found.get(name);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') return { problem: `${name} is not a string` };
    fields[name] = value;
  }
  if (fields.auth === '') return { key, username: fields.username, password: fields.password };
  // A non-empty auth overrides username/password (decodeDockerConfigFieldAuth).
  const decoded = decodeGoBase64(fields.auth);
  if (decoded === undefined) return { problem: 'auth is not valid base64' };
  const colon = decoded.indexOf(':');
  if (colon < 0) return { problem: "auth has no ':' (expected base64 of username:password)" };
  return { key, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The entry's fields in one pass, matched as {@link goField} matches them. */
function entryFields(object: Readonly<Record<string, unknown>>): Map<EntryField, unknown> {
  const found = new Map<EntryField, unknown>();
  for (const key of Object.keys(object)) {
    if (key.length > LONGEST_FIELD) continue;
    const name = key.toLowerCase();
    if ((ENTRY_FIELDS as readonly string[]).includes(name)) found.set(name as EntryField, object[key]);
  }
  return found;
}

/**
 * Go's encoding/json field lookup: exact or case-insensitive key match, the last matching key in the document wins.
 * Returns undefined when no key matches.
 */
function goField(object: Readonly<Record<string, unknown>>, name: string): unknown {
  let found: unknown = undefined;
  for (const [key, value] of Object.entries(object)) {
    if (key.toLowerCase() === name) found = value;
  }
  return found;
}

/** Standard padded base64 (Go's base64.StdEncoding, the API's encoding of Secret `data`), or undefined. */
export function decodeStdBase64(text: string): string | undefined {
  return isPaddedBase64(text) ? Buffer.from(text, 'base64').toString('utf8') : undefined;
}

/**
 * The kubelet decodes `auth` with base64.StdEncoding when it ends in '=' and RawStdEncoding otherwise; both skip
 * '\r' and '\n' and reject everything else outside the alphabet. Returns undefined when Go would fail.
 */
export function decodeGoBase64(field: string): string | undefined {
  const text = field.replace(/[\r\n]/g, '');
  const padded = field.trim().endsWith('=');
  if (padded) return decodeStdBase64(text);
  if (!isBase64Run(text, 0, text.length) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64').toString('utf8');
}

// Checked by scanning, not by a regular expression: a repeated group over megabytes of text overflows the
// backtracking stack of V8's engine (RangeError), and a Secret value can be that large.

/** Groups of four alphabet characters, the last one possibly `xx==` or `xxx=`. */
function isPaddedBase64(text: string): boolean {
  const length = text.length;
  if (length % 4 !== 0) return false;
  if (length === 0) return true;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return isBase64Run(text, 0, length - padding);
}

/** Whether text[start, end) is all standard base64 alphabet. */
function isBase64Run(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const alphabet =
      (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 /* + */ || c === 47; /* / */
    if (!alphabet) return false;
  }
  return true;
}
