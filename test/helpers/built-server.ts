/**
 * The BUILT `pullguard serve` (dist/main.js) as a child process, for the reliability tests that must measure the
 * real thing (R1, R3, R6, R8): rebuilds dist/ when any source is newer than it (so `npx tap <file>` works on its
 * own), generates certificates with `dist/main.js certs`, and talks to it the way kube-apiserver does (HTTPS, CA
 * from `pullguard certs`, servername `pullguard.pullguard.svc`).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../harness/registry/free-port.js';

const run = promisify(execFile);
export const ROOT = new URL('../../', import.meta.url).pathname;
/** Node 24 from devDependencies: the system node is older. */
export const NODE = join(ROOT, 'node_modules/.bin/node');
export const MAIN = join(ROOT, 'dist/main.js');
export const SERVER_NAME = 'pullguard.pullguard.svc';
const BUILD_LOCK = join(tmpdir(), 'pullguard-reliability-build.lock');

/** Newest modification time of the non-test sources under src/. */
function newestSourceMs(dir = join(ROOT, 'src')): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtMs(): number {
  try {
    return statSync(MAIN).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Runs `tsc -p tsconfig.json` when dist/main.js is missing or older than a source file. A lock directory keeps two
 * test files (tap runs 2 at once) from building at the same time; tsc still emits when others' files fail to
 * type-check, so only a missing dist/main.js is an error.
 */
export async function ensureFreshBuild(): Promise<void> {
  if (builtMs() >= newestSourceMs()) return;
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      if (builtMs() >= newestSourceMs()) return; // the other builder finished
      if (Date.now() - statSafe(BUILD_LOCK) > 150_000) rmSync(BUILD_LOCK, { recursive: true, force: true }); // stale
      if (Date.now() > deadline) throw new Error('timed out waiting for another build of dist/');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    if (builtMs() >= newestSourceMs()) return;
    await run(NODE, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], {
      cwd: ROOT,
    }).catch(() => undefined);
    if (builtMs() === 0)
      throw new Error('dist/main.js is missing and `tsc -p tsconfig.json` did not produce it; run npm run build');
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

function statSafe(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now();
  }
}

/** `pullguard certs --out dir` with the built CLI: a new CA and serving certificate (ca.crt, tls.crt, tls.key). */
export async function generateCerts(
  dir: string,
  extraArgs: readonly string[] = [],
): Promise<{ ca: Buffer; cert: Buffer; key: Buffer }> {
  await run(NODE, [MAIN, 'certs', '--out', dir, '--service', 'pullguard', '--namespace', 'pullguard', ...extraArgs], {
    cwd: dir,
  });
  const [ca, cert, key] = await Promise.all(['ca.crt', 'tls.crt', 'tls.key'].map((name) => readFile(join(dir, name))));
  return { ca: ca as Buffer, cert: cert as Buffer, key: key as Buffer };
}

export interface HttpAnswer {
  readonly statusCode: number;
  readonly body: string;
}

export interface BuiltServer {
  readonly child: ChildProcess;
  /** Temp folder of this server (config, certificates unless given); removed by stop(). */
  readonly dir: string;
  readonly port: number;
  readonly healthPort: number;
  /** The CA that signed the initial serving certificate. */
  readonly ca: Buffer;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves with the exit code (or the signal name) once the process ended. */
  readonly exited: Promise<number | string | null>;
  /** POSTs to /validate?timeout=… over HTTPS; `agent: false` makes a new TLS connection for this request. */
  post(body: string | Buffer, options?: PostOptions): Promise<HttpAnswer>;
  /** GET on the plain-HTTP health port (a new connection each time). */
  health(path: string): Promise<HttpAnswer>;
  /** SIGKILLs the process if it still runs and removes the temp folder. Idempotent. */
  stop(): Promise<void>;
}

export interface PostOptions {
  /** The API server's `?timeout=` (default 10s). */
  readonly timeout?: string;
  readonly agent?: https.Agent | false;
  /** CAs to trust (default: the initial CA). */
  readonly ca?: Buffer | readonly Buffer[];
  readonly contentType?: string;
  /** Client-side cap on the whole exchange, ms (default 15 s). */
  readonly clientTimeoutMs?: number;
  /** The TLS server name (default pullguard.pullguard.svc) and the path before `?timeout=` (default /validate). */
  readonly servername?: string;
  readonly path?: string;
}

export interface StartOptions {
  /** Config keys merged over the test defaults (tls, listen). */
  readonly config?: Record<string, unknown>;
  /** Serve these files instead of generating a pair into the temp folder. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string; readonly ca: Buffer };
  /** Extra environment (PULLGUARD_DRAIN_DELAY_MS, LOG_LEVEL…). */
  readonly env?: Record<string, string>;
}

/** Starts `node dist/main.js serve --config <file>` and waits for /readyz (retrying on a port race). */
export async function startBuiltServer(options: StartOptions = {}): Promise<BuiltServer> {
  await ensureFreshBuild();
  const dir = await mkdtemp(join(tmpdir(), 'pullguard-rel-'));
  const tls = options.tls ?? {
    certFile: join(dir, 'tls.crt'),
    keyFile: join(dir, 'tls.key'),
    ca: (await generateCerts(dir)).ca,
  };
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launch(dir, tls, options);
    } catch (error) {
      lastError = error;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

async function launch(dir: string, tls: NonNullable<StartOptions['tls']>, options: StartOptions): Promise<BuiltServer> {
  const port = await freePort();
  const healthPort = await freePort();
  const configFile = join(dir, 'pullguard.json');
  const config = {
    tls: { certFile: tls.certFile, keyFile: tls.keyFile },
    listen: { host: '127.0.0.1', port, healthPort },
    ...options.config,
  };
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const child = spawn(NODE, [MAIN, 'serve', '--config', configFile], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, ...options.env },
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  collectLines(child.stdout, stdout);
  collectLines(child.stderr, stderr);
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const agent = new https.Agent({ keepAlive: true, maxSockets: 64 });
  const server: BuiltServer = {
    child,
    dir,
    port,
    healthPort,
    ca: tls.ca,
    stdout,
    stderr,
    exited,
    post: (body, postOptions = {}) =>
      request(
        https,
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `${postOptions.path ?? '/validate'}?timeout=${postOptions.timeout ?? '10s'}`,
          agent: postOptions.agent ?? agent,
          ca: (postOptions.ca ?? tls.ca) as Buffer[],
          servername: postOptions.servername ?? SERVER_NAME,
          headers: {
            'content-type': postOptions.contentType ?? 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        body,
        postOptions.clientTimeoutMs,
      ),
    health: (path) => request(http, { host: '127.0.0.1', port: healthPort, path, agent: false }),
    stop: async () => {
      agent.destroy();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const ready = await server.health('/readyz').catch(() => undefined);
    if (ready?.statusCode === 200) return server;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  agent.destroy();
  if (child.exitCode === null) child.kill('SIGKILL');
  await exited;
  throw new Error(`pullguard serve did not become ready:\n${stderr.join('\n')}\n${stdout.slice(-5).join('\n')}`);
}

/**
 * Polls `lines` (a server's stdout or stderr, filled as the child writes) until `done` holds, failing after
 * `timeoutMs`: the child writes its log asynchronously, so a check on it waits for the line rather than for a fixed time.
 */
export async function waitForLines(
  lines: readonly string[],
  done: (lines: readonly string[]) => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done(lines)) {
    if (Date.now() > deadline)
      throw new Error(`log condition not met within ${timeoutMs} ms; last lines:\n${lines.slice(-5).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function collectLines(stream: NodeJS.ReadableStream | null, into: string[]): void {
  let pending = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop() ?? '';
    into.push(...parts.filter((line) => line !== ''));
  });
}

/** One HTTP(S) exchange; rejects on any transport error or after `timeoutMs`. */
export function request(
  client: typeof http | typeof https,
  options: https.RequestOptions,
  body?: string | Buffer,
  timeoutMs = 15_000,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = client.request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end(body);
  });
}
