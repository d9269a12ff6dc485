/**
 * What every figure shares: a temp folder, serving certificates from the built `pullguard certs`, a plain registry,
 * a token-auth registry with alice's credentials in a Docker config, and the 50 ms latency proxy in front of the
 * plain registry. One config lists all of them (loopback is blocked by default unless a host is listed).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { dockerConfigJson, startRegistry, type RegistryHandle } from '../../test/harness/registry/index.js';
import { startLatencyProxy, type LatencyProxy } from './latency-proxy.js';

export interface BenchSettings {
  readonly repoRoot: string;
  /** Length of one throughput / latency measurement. */
  readonly durationMs: number;
  /** Keep-alive connections (and closed-loop concurrency) of the load loops. */
  readonly connections: number;
  /** When set, pullguard children write V8 CPU profiles here. */
  readonly cpuProfDir?: string;
  /** Extra node flags for the pullguard children (experiments; the reported figures use none). */
  readonly serverNodeFlags?: readonly string[];
  /** Sizes of P5I / P5H (bench/figures/index-memory.ts); unset ones keep their defaults. */
  readonly indexMemory?: {
    readonly results?: number;
    readonly platforms?: number;
    readonly stringLength?: number;
    readonly bigIndexes?: number;
  };
  readonly log: (line: string) => void;
}

export interface BenchEnv {
  readonly settings: BenchSettings;
  readonly workDir: string;
  readonly certDir: string;
  readonly caPem: string;
  readonly plain: RegistryHandle;
  readonly token: RegistryHandle;
  /** 50 ms per request in front of `plain`. */
  readonly proxy: LatencyProxy;
  /** The pullguard config (without tls/listen) that reaches all of the above. */
  readonly serverConfig: Record<string, unknown>;
  close(): Promise<void>;
}

export const PROXY_DELAY_MS = 50;

export async function setUpEnvironment(settings: BenchSettings): Promise<BenchEnv> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'pullguard-bench-'));
  const closers: (() => Promise<void>)[] = [() => rm(workDir, { recursive: true, force: true })];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => {});
  };
  try {
    const certDir = path.join(workDir, 'certs');
    await promisify(execFile)(path.join(settings.repoRoot, 'node_modules/.bin/node'), [
      path.join(settings.repoRoot, 'dist/main.js'),
      'certs',
      '--out',
      certDir,
      '--san',
      '127.0.0.1',
      '--san',
      'localhost',
    ]);
    const caPem = await readFile(path.join(certDir, 'ca.crt'), 'utf8');
    const plain = await startRegistry({ mode: 'plain' });
    closers.push(() => plain.stop());
    const token = await startRegistry({ mode: 'token' });
    closers.push(() => token.stop());
    const [plainHost, plainPort] = plain.host.split(':');
    const proxy = await startLatencyProxy({
      targetHost: plainHost ?? '127.0.0.1',
      targetPort: Number(plainPort),
      delayMs: PROXY_DELAY_MS,
    });
    closers.push(() => proxy.close());
    const dockerConfigPath = path.join(workDir, 'docker-config.json');
    await writeFile(dockerConfigPath, dockerConfigJson(token, 'alice'), { mode: 0o600 });
    const tokenServerHost = new URL(token.tokenServer?.url ?? '').host;
    const serverConfig = {
      credentials: { kubernetes: false, dockerConfig: dockerConfigPath },
      platforms: ['linux/amd64'],
      registries: [
        { host: plain.host, plainHttp: true },
        { host: proxy.host, plainHttp: true },
        { host: token.host, caFile: token.caFile },
        { host: tokenServerHost, caFile: token.caFile },
      ],
      cache: { ttl: '10m', negativeTtl: '10m', maxEntries: 50_000 },
    };
    return { settings, workDir, certDir, caPem, plain, token, proxy, serverConfig, close };
  } catch (error) {
    await close();
    throw error;
  }
}
