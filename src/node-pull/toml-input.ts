/**
 * The node's registry files as TOML, read the bounded way: a caller hands over file texts, each is size-checked
 * before the parser sees it, and a parse error becomes a problem naming the file and line, never a throw.
 * smol-toml implements TOML 1.0 (https://toml.io/en/v1.0.0), the format of both containerd's hosts.toml
 * (https://github.com/containerd/containerd/blob/main/docs/hosts.md) and containers-registries.conf(5).
 */
import { parse, TomlError } from 'smol-toml';

/** Something wrong with one of the runtime's files: which file, the line when known, and what. */
export interface NodePullProblem {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

/** Largest file accepted: real hosts.toml and registries.conf files are a few KiB. */
export const MAX_FILE_BYTES = 256 * 1024;
/** Most files in one layout (host directories, or registries.conf plus its drop-ins). */
export const MAX_FILES = 256;
/** Most entries in one list (hosts in a file, registries, mirrors, search registries, aliases). */
export const MAX_ENTRIES = 512;

export type Table = Readonly<Record<string, unknown>>;

export type TomlRead =
  { readonly ok: true; readonly table: Table } | { readonly ok: false; readonly problem: NodePullProblem };

export function readToml(file: string, text: string): TomlRead {
  if (Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) {
    return { ok: false, problem: { file, message: `larger than ${MAX_FILE_BYTES} bytes, refused` } };
  }
  try {
    return { ok: true, table: parse(text, { maxDepth: 32 }) as Table };
  } catch (error) {
    if (error instanceof TomlError) {
      const message = error.message.split('\n')[0] ?? 'invalid TOML';
      return { ok: false, problem: { file, line: error.line, message: `invalid TOML: ${message}` } };
    }
    return { ok: false, problem: { file, message: `invalid TOML: ${String(error)}` } };
  }
}

export function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** A key's value when it has the type asked, else undefined (a wrong type is reported by the caller). */
export function stringAt(table: Table, key: string): string | undefined {
  const value = table[key];
  return typeof value === 'string' ? value : undefined;
}

export function booleanAt(table: Table, key: string): boolean | undefined {
  const value = table[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** A string or a list of strings (containerd's `ca`), as a list; undefined when the key is absent or mistyped. */
export function stringsAt(table: Table, key: string): readonly string[] | undefined {
  const value = table[key];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return undefined;
}

/** A problem for a key present with the wrong type. */
export function typeProblem(file: string, key: string, expected: string): NodePullProblem {
  return { file, message: `${key} must be ${expected}` };
}
