/**
 * P1's load generator: wrk (apt `wrk`), a C program with one thread and keep-alive HTTPS connections, pinned to the
 * load CPU. A Node client on one CPU spends about as much per request as the bare route it measures, so it would cap
 * the baseline; wrk spends a fraction of that, so both servers are measured at their own limit.
 */
import { execFile, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { pinnedCommand } from './cpu-pinning.js';

export interface WrkResult {
  /** Completed requests (any status). */
  readonly requests: number;
  readonly requestsPerSecond: number;
  /** Responses other than 2xx/3xx, and socket errors (connect, read, write, timeout). */
  readonly errors: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface WrkTarget {
  /** Full URL, e.g. `https://127.0.0.1:8443/validate?timeout=10s`. */
  readonly url: string;
  /** The Lua script from `writeWrkScript`. */
  readonly script: string;
}

/** Whether wrk is installed; the error says how to get it. */
export function wrkAvailable(): string | undefined {
  const probe = spawnSync('wrk', ['--version'], { stdio: 'ignore' });
  return probe.error ? 'wrk is not installed (apt-get install wrk)' : undefined;
}

/** A Lua script that POSTs `body` as JSON on every request. */
export async function writeWrkScript(dir: string, name: string, body: string): Promise<string> {
  const bodyFile = path.join(dir, `${name}.body.json`);
  await writeFile(bodyFile, body);
  const script = path.join(dir, `${name}.lua`);
  await writeFile(
    script,
    [
      `local file = assert(io.open(${JSON.stringify(bodyFile)}, "rb"))`,
      'wrk.method = "POST"',
      'wrk.body = file:read("*a")',
      'file:close()',
      'wrk.headers["Content-Type"] = "application/json"',
      '',
    ].join('\n'),
  );
  return script;
}

/** One wrk run: one thread, `connections` keep-alive connections, for `durationMs`. */
export async function runWrk(
  target: WrkTarget,
  options: { readonly connections: number; readonly durationMs: number; readonly cpus: string | undefined },
): Promise<WrkResult> {
  const seconds = Math.max(1, Math.round(options.durationMs / 1000));
  const { command, args } = pinnedCommand(options.cpus, 'wrk', [
    '-t1',
    `-c${options.connections}`,
    `-d${seconds}s`,
    '--latency',
    '-s',
    target.script,
    target.url,
  ]);
  const { stdout } = await promisify(execFile)(command, args, { timeout: options.durationMs + 30_000 });
  return parseWrkOutput(stdout);
}

/** Reads wrk's text report (it has no machine-readable one). */
function parseWrkOutput(text: string): WrkResult {
  const number = (pattern: RegExp): number => {
    const match = pattern.exec(text);
    if (!match?.[1]) throw new Error(`unexpected wrk output (no ${pattern.source}):\n${text}`);
    return Number(match[1]);
  };
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  return {
    requests: number(/(\d+) requests in/),
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    errors:
      (socketErrors ? socketErrors.slice(1).reduce((n, v) => n + Number(v), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0),
    p50Ms: durationMs(/^\s+50%\s+([\d.]+\w+)/m, text),
    p99Ms: durationMs(/^\s+99%\s+([\d.]+\w+)/m, text),
  };
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function durationMs(pattern: RegExp, text: string): number {
  const value = pattern.exec(text)?.[1];
  const match = value ? /^([\d.]+)(us|ms|s|m)$/.exec(value) : undefined;
  return match?.[1] && match[2] ? Number(match[1]) * (UNIT_MS[match[2]] ?? Number.NaN) : Number.NaN;
}
