/** An in-memory {@link CheckIo} for running `checkCli` in-process: captured stdout/stderr, stdin from a string. */
import { Readable } from 'node:stream';
import type { CheckIo } from '../../src/cli/check-cli.js';

export interface FakeIo extends CheckIo {
  out(): string;
  err(): string;
}

export function fakeIo(
  options: {
    stdin?: string;
    cwd?: string;
    env?: Record<string, string | undefined>;
    stdoutTTY?: boolean;
    stderrTTY?: boolean;
    homeDir?: string;
  } = {},
): FakeIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text), isTTY: options.stdoutTTY ?? false },
    stderr: { write: (text: string) => (err += text), isTTY: options.stderrTTY ?? false },
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    env: options.env ?? {},
    homeDir: options.homeDir ?? '/nonexistent-home',
    cwd: options.cwd ?? FIXTURES,
    out: () => out,
    err: () => err,
  };
}

export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
