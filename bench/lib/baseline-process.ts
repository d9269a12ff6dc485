/** Starts P1's baseline server (lib/baseline-server.mjs) as a child process on a free port. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import { freePort } from '../../test/harness/registry/free-port.js';
import { stopChild, waitForHttp } from './child-process.js';
import { cpuLayout, pinnedCommand } from './cpu-pinning.js';

export interface BaselineProcess {
  /** `https://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly pid: number;
  /** From spawn to the first `/readyz` 200, ms (as precise as `readyPollMs`). */
  readonly readyMs: number;
  stop(): Promise<void>;
}

export interface StartBaselineOptions {
  readonly repoRoot: string;
  readonly certDir: string;
  readonly caPem: string;
  readonly cpuProfDir?: string;
  /** Extra node flags (e.g. `--perf-basic-prof` for `perf record`). */
  readonly nodeFlags?: readonly string[];
  /** Run on the server CPU with all its threads (P1, P6, P7; cpu-pinning.ts). */
  readonly pinned?: boolean;
  /** How often `/readyz` is polled at start-up (default 100 ms). */
  readonly readyPollMs?: number;
}

export async function startBaseline(options: StartBaselineOptions): Promise<BaselineProcess> {
  const port = await freePort();
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'baseline-server.mjs');
  const profileFlags = options.cpuProfDir
    ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`, '--cpu-prof-name=baseline.cpuprofile']
    : [];
  const spawnedAt = performance.now();
  // With `pinned`, on the server CPU with all its threads (cpu-pinning.ts).
  const command = pinnedCommand(
    options.pinned ? cpuLayout().server : undefined,
    path.join(options.repoRoot, 'node_modules/.bin/node'),
    [...(options.nodeFlags ?? []), ...profileFlags, script, options.certDir, String(port)],
  );
  const child = spawn(command.command, command.args, { cwd: options.repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  const origin = `https://127.0.0.1:${port}`;
  const agent = new Agent({ connect: { ca: options.caPem } });
  let readyMs: number;
  try {
    await waitForHttp(`${origin}/readyz`, child, 20_000, agent, options.readyPollMs);
    readyMs = performance.now() - spawnedAt;
  } finally {
    await agent.close();
  }
  return { origin, pid: child.pid ?? 0, readyMs, stop: () => stopChild(child) };
}
