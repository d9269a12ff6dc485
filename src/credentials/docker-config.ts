/**
 * Docker config parsing exactly as the kubelet does it (pkg/credentialprovider/config.go): the `{"auths": {...}}`
 * shape of `config.json` and `kubernetes.io/dockerconfigjson` Secrets, and the bare map of legacy
 * `kubernetes.io/dockercfg` Secrets. SPEC §1.4, reference/registry.md §4.1.
 *
 * Problems name what failed and the registry key, never any part of a username, password or `auth` value.
 */
import Type from 'typebox';
import { Value } from 'typebox/value';

/** One registry key of a Docker config with the username/password the kubelet derives from it. */
export interface DockerConfigEntry {
  /** The registry key exactly as written (`https://index.docker.io/v1/`, `ghcr.io`, `registry.example.com/team`). */
  readonly key: string;
  readonly username: string;
  readonly password: string;
}

export type DockerConfigParse =
  | { readonly ok: true; readonly entries: readonly DockerConfigEntry[] }
  | { readonly ok: false; readonly problem: string };

/** Thrown by {@link dockerConfigEntriesOrThrow} (start-up path); `problem` holds no secret material. */
export class DockerConfigError extends Error {
  readonly code = 'PG_DOCKER_CONFIG_INVALID';
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(`Cannot use Docker config ${source}: ${problem}`);
    this.name = 'DockerConfigError';
  }
}

// Go's encoding/json accepts an object or null where a struct or map is expected; everything else is an error.
const JsonObjectOrNull = Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]);

/** `config.json` / `.dockerconfigjson`: `{"auths": {"<key>": {entry}}}`. A missing `auths` means no credentials. */
export function parseDockerConfigJson(text: string): DockerConfigParse {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  if (!Value.Check(JsonObjectOrNull, parsed.value)) return { ok: false, problem: 'not a JSON object' };
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

function entriesOf(map: unknown, what: string): DockerConfigParse {
  if (!Value.Check(JsonObjectOrNull, map)) return { ok: false, problem: `${what} is not a JSON object` };
  const entries: DockerConfigEntry[] = [];
  for (const [key, raw] of Object.entries(map ?? {})) {
    const entry = parseEntry(key, raw);
    if ('problem' in entry) return { ok: false, problem: `entry ${JSON.stringify(key)}: ${entry.problem}` };
    entries.push(entry);
  }
  return { ok: true, entries };
}

const ENTRY_FIELDS = ['username', 'password', 'email', 'auth'] as const;

function parseEntry(key: string, raw: unknown): DockerConfigEntry | { problem: string } {
  if (!Value.Check(JsonObjectOrNull, raw)) return { problem: 'is not a JSON object' };
  const fields: Record<(typeof ENTRY_FIELDS)[number], string> = { username: '', password: '', email: '', auth: '' };
  for (const name of ENTRY_FIELDS) {
    const value = raw === null ? undefined : goField(raw, name);
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

const PADDED_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RAW_BASE64 = /^[A-Za-z0-9+/]*$/;

/** Standard padded base64 (Go's base64.StdEncoding, the API's encoding of Secret `data`), or undefined. */
export function decodeStdBase64(text: string): string | undefined {
  return PADDED_BASE64.test(text) ? Buffer.from(text, 'base64').toString('utf8') : undefined;
}

/**
 * The kubelet decodes `auth` with base64.StdEncoding when it ends in '=' and RawStdEncoding otherwise; both skip
 * '\r' and '\n' and reject everything else outside the alphabet. Returns undefined when Go would fail.
 */
export function decodeGoBase64(field: string): string | undefined {
  const text = field.replace(/[\r\n]/g, '');
  const padded = field.trim().endsWith('=');
  if (padded) return decodeStdBase64(text);
  if (!RAW_BASE64.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64').toString('utf8');
}
