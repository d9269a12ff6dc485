import crypto from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { countManifestRequests, FLUSH_MARKER, parseAccessLog } from './access-log.js';
import { freePort } from './free-port.js';
import { harnessHttp, type HarnessHttp } from './http-client.js';
import { registryConfigYaml, type RegistryConfigInput } from './registry-config.js';
import { delay, isAddressInUse, spawnRegistry, type RegistryProcess } from './registry-process.js';
import { markOwner, sweepStaleDirs, TEMP_DIR_PREFIX } from './stale-dirs.js';
import { ensureRegistryTools, htpasswdFile } from './system-tools.js';
import { testPki } from './test-pki.js';
import {
  defaultTokenAcl,
  harnessTokenServerOptions,
  startTokenServer,
  TOKEN_ISSUER,
  TOKEN_SERVICE,
  type RunningTokenServer,
} from './token-server.js';
import type { AccessLogEntry, RegistryHandle, StartRegistryOptions } from './types.js';

const PORT_ATTEMPTS = 5;

/**
 * Starts a real Distribution registry (Debian `docker-registry`) on 127.0.0.1 in its own temp dir.
 * plain: HTTP, no auth. basic: HTTPS + htpasswd. token: HTTPS + Bearer tokens from an HTTPS token server.
 * Users alice and bob get random passwords (`handle.users`). Always call `stop()`.
 */
export async function startRegistry(options: StartRegistryOptions): Promise<RegistryHandle> {
  await ensureRegistryTools();
  await sweepStaleDirs();
  const { mode } = options;
  const dir = await mkdtemp(path.join(os.tmpdir(), TEMP_DIR_PREFIX));
  const users = Object.freeze({ alice: randomPassword('alice'), bob: randomPassword('bob') });
  const pki = mode === 'plain' ? undefined : testPki();
  const files = { ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key') };
  let tokenServer: RunningTokenServer | undefined;
  let http: HarnessHttp | undefined;
  let registry: RegistryProcess | undefined;
  try {
    await markOwner(dir, process.pid);
    const storageDir = path.join(dir, 'data');
    await mkdir(storageDir);
    let auth: RegistryConfigInput['auth'];
    if (pki !== undefined) {
      await writeFile(files.ca, pki.caPem);
      await writeFile(files.cert, pki.serverCertPem);
      await writeFile(files.key, pki.serverKeyPem, { mode: 0o600 });
    }
    if (mode === 'basic') {
      const htpasswdPath = path.join(dir, 'htpasswd');
      await writeFile(htpasswdPath, await htpasswdFile(users), { mode: 0o600 });
      auth = { kind: 'htpasswd', htpasswdFile: htpasswdPath };
    } else if (mode === 'token' && pki !== undefined) {
      const bundle = path.join(dir, 'token.crt');
      await writeFile(bundle, pki.tokenCertPem);
      tokenServer = await startTokenServer(harnessTokenServerOptions(pki, users, options.tokenAcl ?? defaultTokenAcl));
      auth = {
        kind: 'token',
        realm: tokenServer.url,
        service: TOKEN_SERVICE,
        issuer: TOKEN_ISSUER,
        rootCertBundle: bundle,
      };
    }
    http = harnessHttp(pki?.caPem);
    const configPath = path.join(dir, 'config.yml');
    const scheme = pki === undefined ? 'http' : 'https';
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      const config: RegistryConfigInput = {
        port,
        storageDir,
        httpSecret: crypto.randomBytes(16).toString('hex'),
        ...(pki === undefined ? {} : { tls: { certFile: files.cert, keyFile: files.key } }),
        ...(auth === undefined ? {} : { auth }),
      };
      await writeFile(configPath, registryConfigYaml(config));
      registry = spawnRegistry(configPath);
      const url = `${scheme}://127.0.0.1:${port}`;
      try {
        await registry.waitUntilReady(url, http);
        return makeHandle({
          mode,
          url,
          port,
          users,
          dir,
          registry,
          http,
          tokenServer,
          caFile: pki && files.ca,
          caPem: pki?.caPem,
        });
      } catch (error) {
        await registry.stop();
        if (!isAddressInUse(error) || attempt >= PORT_ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    await registry?.stop();
    await tokenServer?.close();
    await http?.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

interface HandleParts {
  mode: RegistryHandle['mode'];
  url: string;
  port: number;
  users: Readonly<Record<string, string>>;
  dir: string;
  registry: RegistryProcess;
  http: HarnessHttp;
  tokenServer: RunningTokenServer | undefined;
  caFile: string | undefined;
  caPem: string | undefined;
}

function makeHandle(parts: HandleParts): RegistryHandle {
  let flushes = 0;
  let stopping: Promise<void> | undefined;

  /** Why: the registry logs a request after answering it; a marked request of our own, once logged, bounds the wait. */
  async function flushLog(): Promise<void> {
    if (stopping !== undefined) return;
    flushes += 1;
    const marker = `${FLUSH_MARKER}=${flushes}`;
    await parts.http.send(`${parts.url}/v2/?${marker}`, { timeoutMs: 2_000 }).catch(() => undefined);
    const deadline = Date.now() + 2_000;
    while (!parts.registry.accessLogText().includes(marker) && Date.now() < deadline) await delay(5);
    await delay(10); // lines of requests answered just before the marker may still be in flight
  }

  async function accessLog(): Promise<AccessLogEntry[]> {
    await flushLog();
    return parseAccessLog(parts.registry.accessLogText());
  }

  const tokenServer = parts.tokenServer;
  return {
    mode: parts.mode,
    host: `127.0.0.1:${parts.port}`,
    url: parts.url,
    ...(parts.caFile === undefined ? {} : { caFile: parts.caFile }),
    ...(parts.caPem === undefined ? {} : { caPem: parts.caPem }),
    users: parts.users,
    ...(tokenServer === undefined
      ? {}
      : { tokenServer: { url: tokenServer.url, requests: tokenServer.requests, requestLog: tokenServer.requestLog } }),
    accessLog,
    async manifestRequests(method) {
      return countManifestRequests(await accessLog(), method);
    },
    stop() {
      stopping ??= (async () => {
        await parts.registry.stop();
        await tokenServer?.close();
        await parts.http.close();
        await rm(parts.dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

function randomPassword(user: string): string {
  return `s3cret-${user}-${crypto.randomBytes(9).toString('base64url')}`;
}
