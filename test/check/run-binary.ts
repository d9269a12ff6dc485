/**
 * Runs the built `pullguard` (dist/main.js, from `npm run build`; `npm test` builds first) as a child process, the
 * way CI does, and collects its exit code and output.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = `${ROOT}dist/main.js`;
/** Node 24 from devDependencies; the system node is older. */
const NODE = `${ROOT}node_modules/.bin/node`;

export interface BinaryResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runPullguard(
  args: readonly string[],
  options: {
    cwd: string;
    stdin?: string;
    env?: Record<string, string>;
    timeoutMs?: number;
    /** Node flags before the script (e.g. `--import` of an instrumentation hook). */
    nodeArgs?: readonly string[];
  },
): Promise<BinaryResult> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first`);
  const child = spawn(NODE, [...(options.nodeArgs ?? []), MAIN, ...args], {
    cwd: options.cwd,
    // A clean environment: no user Docker config, no PULLGUARD_CONFIG, no colour decisions from the caller.
    env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 30_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(options.stdin ?? '');
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolve(exitCode));
  });
  return { code, stdout, stderr };
}
