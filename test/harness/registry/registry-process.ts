import { spawn, type ChildProcess } from 'node:child_process';
import { HARNESS_MARKER } from './access-log.js';
import type { HarnessHttp } from './http-client.js';
import { REGISTRY_BINARY } from './system-tools.js';

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
  const child = spawn(REGISTRY_BINARY, ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
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
        try {
          await http.send(`${url}/v2/?${HARNESS_MARKER}probe`, { timeoutMs: 1_000 });
          return;
        } catch {
          await delay(50);
        }
      }
      throw new Error(`registry test harness: registry did not answer GET ${url}/v2/ within ${START_TIMEOUT_MS} ms; stderr tail:\n${tail()}`);
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

/** Promise-based sleep with an unref'd timer. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
