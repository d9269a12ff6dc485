/**
 * Runs the BUILT `pullguard serve` (dist/main.js) as a child process, the way it runs in a cluster: its own process,
 * the container's node flags, HTTPS with keep-alive, logs to a file. The bench talks to it only over the network
 * and reads its RSS from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '../../test/harness/registry/free-port.js';
import { stopChild, waitForHttp } from './child-process.js';
import { cpuLayout, pinnedCommand } from './cpu-pinning.js';
import { productionNodeFlags } from './production-node-flags.js';

export interface PullguardProcess {
  readonly name: string;
  /** `https://127.0.0.1:<port>` of the webhook. */
  readonly origin: string;
  /** `http://127.0.0.1:<port>` of health and metrics. */
  readonly healthOrigin: string;
  readonly pid: number;
  /** From spawn to the first `/readyz` 200, ms (as precise as `readyPollMs`). */
  readonly readyMs: number;
  /** Resident set size from /proc/<pid>/status (VmRSS), in bytes. */
  rssBytes(): Promise<number>;
  /** Peak resident set size so far (VmHWM), in bytes. */
  peakRssBytes(): Promise<number>;
  /** The Prometheus text of /metrics (fails after `timeoutMs`, default 30 s). */
  metrics(timeoutMs?: number): Promise<string>;
  /** How the process ended (`exit code 134`, `signal SIGKILL`), or undefined while it runs. */
  exitStatus(): string | undefined;
  /** The last `bytes` of its log (stdout and stderr), e.g. V8's "Reached heap limit" after a crash. */
  logTail(bytes?: number): Promise<string>;
  /** SIGTERM (graceful: a --cpu-prof profile is written), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

export interface StartPullguardOptions {
  readonly name: string;
  readonly repoRoot: string;
  readonly workDir: string;
  /** Folder with tls.crt / tls.key from `pullguard certs`. */
  readonly certDir: string;
  /** Config keys other than tls and listen (JSON is valid YAML). */
  readonly config: Record<string, unknown>;
  /** Write a V8 CPU profile of the server into this folder. */
  readonly cpuProfDir?: string;
  /** Extra node flags for the server, after the production ones (experiments only, e.g. `--max-semi-space-size=4`). */
  readonly nodeFlags?: readonly string[];
  /** Run on the server CPU with all its threads (P1, P6, P7; cpu-pinning.ts). */
  readonly pinned?: boolean;
  /** How often `/readyz` is polled at start-up (default 100 ms). */
  readonly readyPollMs?: number;
}

export async function startPullguard(options: StartPullguardOptions): Promise<PullguardProcess> {
  const [port, healthPort] = [await freePort(), await freePort()];
  const config = {
    ...options.config,
    tls: { certFile: path.join(options.certDir, 'tls.crt'), keyFile: path.join(options.certDir, 'tls.key') },
    listen: { host: '127.0.0.1', port, healthPort },
  };
  const configPath = path.join(options.workDir, `${options.name}.config.yaml`);
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const logPath = path.join(options.workDir, `${options.name}.log`);
  const logFd = openSync(logPath, 'a');
  const nodeFlags = [...productionNodeFlags(options.repoRoot), ...(options.nodeFlags ?? [])];
  if (options.cpuProfDir)
    nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`, `--cpu-prof-name=${options.name}.cpuprofile`);
  const spawnedAt = performance.now();
  // With `pinned`, on the server CPU with all its threads (cpu-pinning.ts).
  const command = pinnedCommand(
    options.pinned ? cpuLayout().server : undefined,
    path.join(options.repoRoot, 'node_modules/.bin/node'),
    [...nodeFlags, path.join(options.repoRoot, 'dist/main.js'), 'serve', '--config', configPath],
  );
  const child: ChildProcess = spawn(command.command, command.args, {
    cwd: options.workDir,
    stdio: ['ignore', logFd, logFd],
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: options.workDir },
  });
  closeSync(logFd);
  let exitStatus: string | undefined;
  child.once('exit', (code, signal) => (exitStatus = signal ? `signal ${signal}` : `exit code ${code}`));
  const healthOrigin = `http://127.0.0.1:${healthPort}`;
  try {
    await waitForHttp(`${healthOrigin}/readyz`, child, 30_000, undefined, options.readyPollMs);
  } catch (error) {
    await stopChild(child);
    const log = await readFile(logPath, 'utf8').catch(() => '');
    throw new Error(
      `pullguard ${options.name} did not become ready: ${(error as Error).message}\n${log.slice(-2000)}`,
      { cause: error },
    );
  }
  const readyMs = performance.now() - spawnedAt;
  const pid = child.pid ?? 0;
  return {
    name: options.name,
    origin: `https://127.0.0.1:${port}`,
    healthOrigin,
    pid,
    readyMs,
    rssBytes: () => statusKb(pid, 'VmRSS'),
    peakRssBytes: () => statusKb(pid, 'VmHWM'),
    async metrics(timeoutMs = 30_000) {
      const response = await fetch(`${healthOrigin}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
      return response.text();
    },
    exitStatus: () => exitStatus,
    async logTail(bytes = 2000) {
      return (await readFile(logPath, 'utf8').catch(() => '')).slice(-bytes);
    },
    stop: () => stopChild(child),
  };
}

/** A `kB` line of /proc/<pid>/status, in bytes. */
async function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1];
  if (kb === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(kb) * 1024;
}
