/**
 * Quoting for commands a user pastes into a POSIX shell (bash, zsh, sh). Every value that comes from the cluster (a
 * name, an image as written) goes through {@link shellWord}: inside single quotes the shell expands nothing
 * (https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html, 2.2.2 Single-Quotes), and a single
 * quote in the value is closed, escaped and reopened. Control characters are refused rather than quoted: a newline or
 * an escape sequence in a pasted line is a trap even when quoted, and no Kubernetes name or image reference has one.
 */

/** Why a value cannot be put in a command. */
export interface UnsafeValue {
  readonly problem: 'unsafe-value';
  /** What the value is, in words: `pod name`, `image`. */
  readonly field: string;
  readonly detail: string;
}

export type Quoted =
  { readonly ok: true; readonly word: string } | { readonly ok: false; readonly unsafe: UnsafeValue };

/** Longer values are refused: the longest Kubernetes name is 253 characters, an image reference at most 4 KiB or so. */
export const MAX_VALUE_CHARS = 4096;

/**
 * Words that need no quoting: no glob, no expansion, no `~`; `=` only after the first character (zsh expands a word
 * starting with `=`, and the values are never a command's first word, where `a=b` would be an assignment).
 */
const PLAIN = /^[A-Za-z0-9@%+:,./_-][A-Za-z0-9@%+=:,./_-]*$/;

// C0 controls, DEL and C1 controls: built from code points so the source stays free of literal controls.
const CONTROL = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]`, 'u');

/**
 * The value as one shell word, or why it cannot be one. `positional: true` also refuses a value starting with `-`,
 * for positional arguments that kubectl would otherwise read as a flag (no Kubernetes name starts with one).
 */
export function shellWord(value: unknown, field: string, options: { readonly positional?: boolean } = {}): Quoted {
  if (typeof value !== 'string' || value === '') return refuse(field, 'is empty');
  if (value.length > MAX_VALUE_CHARS) return refuse(field, `is longer than ${MAX_VALUE_CHARS} characters`);
  if (CONTROL.test(value)) return refuse(field, 'contains control characters');
  if (options.positional === true && value.startsWith('-')) return refuse(field, 'starts with "-"');
  if (PLAIN.test(value)) return { ok: true, word: value };
  return { ok: true, word: `'${value.replaceAll("'", `'\\''`)}'` };
}

function refuse(field: string, why: string): Quoted {
  return { ok: false, unsafe: { problem: 'unsafe-value', field, detail: `no command printed: the ${field} ${why}` } };
}

/**
 * Builds one command from literal parts and values, joined as they are (literals carry their own spaces). Literal
 * parts are written by pullguard; every value is quoted. The first unsafe value wins.
 */
export function command(
  parts: readonly (string | { readonly value: unknown; readonly field: string; readonly positional?: boolean })[],
): { readonly ok: true; readonly text: string } | { readonly ok: false; readonly unsafe: UnsafeValue } {
  const words: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      words.push(part);
      continue;
    }
    const quoted = shellWord(part.value, part.field, { positional: part.positional ?? false });
    if (!quoted.ok) return quoted;
    words.push(quoted.word);
  }
  return { ok: true, text: words.join('') };
}
