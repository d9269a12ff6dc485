/** `pullguard serve --dev` (what `npm start` runs): development certificates where the config's tls files point. */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { freePort } from '../harness/registry/free-port.js';
import { ensureFreshBuild, MAIN, NODE } from '../helpers/built-server.js';

t.before(ensureFreshBuild);

async function configIn(t: Test, tls: object) {
  const dir = await mkdtemp(join(tmpdir(), 'pullguard-dev-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const config = join(dir, 'config.json');
  const listen = { host: '127.0.0.1', port: await freePort(), healthPort: await freePort() };
  await writeFile(config, JSON.stringify({ tls, listen, credentials: { kubernetes: false } }));
  return { dir, config, listen };
}

t.test('generates tls.crt and tls.key in the configured folder and serves with them', async (t) => {
  const { dir, config, listen } = await configIn(t, { certFile: 'dev-certs/tls.crt', keyFile: './dev-certs/tls.key' });
  const child = spawn(NODE, [MAIN, 'serve', '--dev', '--config', config], {
    cwd: dir,
    stdio: 'ignore',
    env: { PATH: process.env['PATH'] ?? '', HOME: dir },
  });
  t.teardown(() => child.kill('SIGKILL'));
  let ready = false;
  for (let i = 0; i < 150 && !ready; i++) {
    ready = await fetch(`http://127.0.0.1:${listen.healthPort}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  t.ok(ready, 'ready');
  t.ok(
    existsSync(join(dir, 'dev-certs/tls.crt')) && existsSync(join(dir, 'dev-certs/tls.key')),
    'certificates written',
  );
});

t.test('tls file names it would not write are a usage error (exit 2), not certificates nobody serves', async (t) => {
  const { dir, config } = await configIn(t, { certFile: 'dev-certs/server.pem', keyFile: 'dev-certs/server.key' });
  const error = await promisify(execFile)(NODE, [MAIN, 'serve', '--dev', '--config', config], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', HOME: dir },
  }).then(
    () => undefined,
    (e: { code?: number; stderr?: string }) => e,
  );
  t.equal(error?.code, 2);
  t.match(error?.stderr, /--dev writes tls\.crt and tls\.key into one folder/);
  t.notOk(existsSync(join(dir, 'dev-certs')), 'nothing written');
});
