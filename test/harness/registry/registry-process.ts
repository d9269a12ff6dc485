import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { HARNESS_MARKER } from './access-log.js';
import type { HarnessHttp } from './http-client.js';
import { REGISTRY_BINARY } from './system-tools.js';

const SETPRIV = '/usr/bin/setpriv';
const START_TIMEOUT_MS = 10_000;
const STDERR_TAIL_CHARS = 3_000;

/** A spawned `docker-registry serve` whose output is kept in memory. */
export interface RegistryProcess {
  /** Everything the registry wrote to stderr so far (JSON application log). */
  stderr(): string;
  /** Everything the registry wrote to stdout so far (the access log, Apache combined format). */
  accessLogText(): string;
  /** Resolves once the registry answers `GET /v2/` (any status); rejects with the stderr tail otherwise. */
  waitUntilReady(url: string, http: HarnessHttp): Promise<void>;
  /** SIGTERM, then SIGKILL after 3 s; resolves when the process is gone. Idempotent. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Why: a crashed test must not leave registries running on the shared machine. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** Spawns the registry with `configPath`. */
export function spawnRegistry(configPath: string): RegistryProcess {
  installExitHook();
  // setpriv --pdeathsig: the kernel kills the registry if this test process dies without running stop()
  // (tap timeouts, SIGKILL), which the 'exit' hook alone cannot cover. setpriv execs, so the pid stays the same.
  const [file, args] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'KILL', '--', REGISTRY_BINARY, 'serve', configPath]]
    : [REGISTRY_BINARY, ['serve', configPath]];
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let stderr = '';
  let stdout = '';
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      live.delete(child);
      resolve();
    });
  });
  child.once('error', (error) => {
    spawnError = error;
    live.delete(child);
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    stdout += chunk;
  });
  const tail = (): string => stderr.slice(-STDERR_TAIL_CHARS);

  return {
    stderr: () => stderr,
    accessLogText: () => stdout,
    async waitUntilReady(url, http) {
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (Date.now() < deadline) {
        if (spawnError !== undefined) {
          throw new Error(`registry test harness: cannot start ${REGISTRY_BINARY}: ${spawnError.message}`);
        }
        if (exited !== undefined) {
          throw new Error(
            `registry test harness: registry exited during start-up (code ${exited.code}, signal ${exited.signal}); stderr tail:\n${tail()}`,
          );
        }
        // Race the probe against the exit so a crash is reported at once, not after the probe's timeout.
        const probe = http.send(`${url}/v2/?${HARNESS_MARKER}probe`, { timeoutMs: 1_000 }).then(
          () => 'ready' as const,
          () => 'retry' as const,
        );
        const outcome = await Promise.race([probe, exitedPromise.then(() => 'exited' as const)]);
        if (outcome === 'ready') return;
        if (outcome === 'retry') await delay(50);
      }
      throw new Error(
        `registry test harness: registry did not answer GET ${url}/v2/ within ${START_TIMEOUT_MS} ms; stderr tail:\n${tail()}`,
      );
    },
    async stop() {
      if (exited !== undefined || child.exitCode !== null || child.pid === undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      timer.unref();
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}

/** Whether a failed start looks like a lost port race (retry with another port). */
export function isAddressInUse(error: unknown): boolean {
  return error instanceof Error && error.message.includes('address already in use');
}

/**
 * Promise-based sleep. Deliberately ref'd: callers await it, and an unref'd timer would let Node exit
 * mid-wait when nothing else is pending (e.g. the registry already exited).
 */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
