/**
 * Runs the BUILT `pullguard serve` (dist/main.js) as a child process, the way it runs in a cluster, and talks to it
 * the way kube-apiserver does: HTTPS with the CA from `pullguard certs` and servername `<svc>.<ns>.svc`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../harness/registry/free-port.js';

const run = promisify(execFile);
export const ROOT = new URL('../../', import.meta.url).pathname;
/** Node 24 from devDependencies: the system node may be older. */
export const NODE = join(ROOT, 'node_modules/.bin/node');
export const MAIN = join(ROOT, 'dist/main.js');

/** Builds dist/ when it is missing (npm test's `pretest` normally did it). tsc still emits when others' files fail to type-check. */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(MAIN)) return;
  await run(NODE, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT }).catch(() => undefined);
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing and `tsc -p tsconfig.json` did not produce it; run npm run build');
}

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly dir: string;
  readonly ca: Buffer;
  readonly port: number;
  readonly healthPort: number;
  /** Every stdout line so far. */
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves with the exit code once the process ended. */
  readonly exited: Promise<number | null>;
  /** POSTs `body` to /validate like the API server (keep-alive, CA-verified, servername pullguard.pullguard.svc). */
  post(body: string | Buffer, options?: { contentType?: string; path?: string }): Promise<{ statusCode: number; body: string }>;
  /** GETs a path on the plain-HTTP health port. */
  health(path: string): Promise<{ statusCode: number; body: string }>;
  /** Kills the process if it still runs, removes the temp folder, closes the agent. Idempotent. */
  stop(): Promise<void>;
}

/** Generates certificates with the built CLI, writes a config, starts `serve` and waits for /readyz. */
export async function startServe(extraConfig: Record<string, unknown> = {}): Promise<ServeProcess> {
  await ensureBuilt();
  const dir = await mkdtemp(join(tmpdir(), 'pullguard-e2e-'));
  await run(NODE, [MAIN, 'certs', '--out', dir, '--service', 'pullguard', '--namespace', 'pullguard'], { cwd: dir });
  const ca = await readFile(join(dir, 'ca.crt'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launch(dir, ca, extraConfig);
    } catch (error) {
      lastError = error; // most likely a port taken between freePort() and listen(): try new ports
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

async function launch(dir: string, ca: Buffer, extraConfig: Record<string, unknown>): Promise<ServeProcess> {
  const port = await freePort();
  const healthPort = await freePort();
  const configFile = join(dir, 'pullguard.yaml');
  const config = { tls: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') }, listen: { host: '127.0.0.1', port, healthPort }, ...extraConfig };
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const child = spawn(NODE, [MAIN, 'serve', '--config', configFile], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env['PATH'] ?? '' } });
  const stdout: string[] = [];
  const stderr: string[] = [];
  collectLines(child.stdout, stdout);
  collectLines(child.stderr, stderr);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const agent = new https.Agent({ keepAlive: true, maxSockets: 4 });
  const server: ServeProcess = {
    child, dir, ca, port, healthPort, stdout, stderr, exited,
    post: (body, options = {}) => request(https, {
      host: '127.0.0.1', port, method: 'POST', path: options.path ?? '/validate?timeout=10s', agent, ca, servername: 'pullguard.pullguard.svc',
      headers: { 'content-type': options.contentType ?? 'application/json', 'content-length': Buffer.byteLength(body) },
    }, body),
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
  const ready = await waitReady(server);
  if (!ready) {
    agent.destroy();
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    throw new Error(`pullguard serve did not become ready:\n${stderr.join('\n')}\n${stdout.slice(-5).join('\n')}`);
  }
  return server;
}

async function waitReady(server: ServeProcess): Promise<boolean> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && server.child.exitCode === null) {
    const res = await server.health('/readyz').catch(() => undefined);
    if (res?.statusCode === 200) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
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

function request(
  client: typeof http | typeof https,
  options: https.RequestOptions,
  body?: string | Buffer,
): Promise<{ statusCode: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = client.request({ ...options, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
