import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { freePort } from './free-port.js';
import { harnessHttp } from './http-client.js';
import { registryConfigYaml } from './registry-config.js';
import { isAddressInUse, spawnRegistry } from './registry-process.js';
import { ensureRegistryTools } from './system-tools.js';

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pullguard-regproc-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

t.before(() => ensureRegistryTools());

t.test('a registry that exits during start-up fails with its stderr tail', async (t) => {
  const dir = await tempDir(t);
  const config = path.join(dir, 'config.yml');
  await writeFile(config, 'version: 0.1\nstorage: {}\nhttp: { addr: "127.0.0.1:1" }\n');
  const http = harnessHttp();
  t.teardown(() => http.close());
  const registry = spawnRegistry(config);
  t.teardown(() => registry.stop());
  await t.rejects(
    registry.waitUntilReady('http://127.0.0.1:1', http),
    /registry exited during start-up .*stderr tail:\n.*storage/s,
  );
});

t.test('a taken port is reported as address-in-use so startRegistry can retry', async (t) => {
  const dir = await tempDir(t);
  const accepted = new Set<net.Socket>();
  const blocker = net.createServer((socket) => accepted.add(socket));
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        blocker.close(() => resolve());
        for (const socket of accepted) socket.destroy();
      }),
  );
  const address = blocker.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const config = path.join(dir, 'config.yml');
  await writeFile(
    config,
    registryConfigYaml({ port: address.port, storageDir: path.join(dir, 'data'), httpSecret: 'x' }),
  );
  const http = harnessHttp();
  t.teardown(() => http.close());
  const registry = spawnRegistry(config);
  t.teardown(() => registry.stop());
  // The blocker accepts connections but never answers HTTP, so readiness must come from the exit, not the probe.
  const error: unknown = await registry.waitUntilReady(`http://127.0.0.1:${address.port}`, http).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(isAddressInUse(error), 'bind failure recognised');
  t.match(String(error), /address already in use/);
});

t.test('stop is idempotent and the process is gone afterwards', async (t) => {
  const dir = await tempDir(t);
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  await writeFile(config, registryConfigYaml({ port, storageDir: path.join(dir, 'data'), httpSecret: 'x' }));
  const http = harnessHttp();
  t.teardown(() => http.close());
  const registry = spawnRegistry(config);
  await registry.waitUntilReady(`http://127.0.0.1:${port}`, http);
  await registry.stop();
  await registry.stop();
  await t.rejects(http.send(`http://127.0.0.1:${port}/v2/`, { timeoutMs: 500 }), 'nothing listens any more');
});
