/**
 * The Dockerfile's steps, without a Docker engine (issue 5): in a clean copy, `npm ci --omit=dev` plus the compiled
 * output must run `pullguard serve` on the same Node 24 the tests use. This catches a runtime import of a
 * devDependency, which the image would only reveal in a cluster.
 */
import { execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';

const ROOT = join(import.meta.dirname, '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

t.test('npm ci --omit=dev plus dist runs pullguard serve on Node 24', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pullguard-prod-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await run('npm', ['run', 'build'], { cwd: ROOT });
  for (const item of ['package.json', 'package-lock.json', 'dist'])
    await cp(join(ROOT, item), join(dir, item), { recursive: true });
  await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: dir,
    timeout: 300_000,
  });

  const installed = await readdir(join(dir, 'node_modules'));
  for (const devOnly of ['typescript', 'tap', 'node'])
    t.notOk(installed.includes(devOnly), `${devOnly} is not in the production install`);
  t.ok(installed.includes('fastify'), 'runtime dependencies are installed');

  const { stdout: version } = await run(NODE, ['--version']);
  t.match(version, /^v24\./, 'the same Node 24 the tests use');

  await run(NODE, ['dist/main.js', 'certs', '--out', 'tls', '--san', '127.0.0.1'], { cwd: dir });
  const [port, healthPort] = [await freePort(), await freePort()];
  await writeFile(
    join(dir, 'config.yaml'),
    `tls: {certFile: tls/tls.crt, keyFile: tls/tls.key}\nlisten: {host: 127.0.0.1, port: ${port}, healthPort: ${healthPort}}\ncredentials: {kubernetes: false}\n`,
  );
  const server = spawn(NODE, ['dist/main.js', 'serve', '--config', 'config.yaml'], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: 'production', KUBECONFIG: '/nonexistent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout.on('data', (chunk) => (output += chunk));
  server.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  t.teardown(() => server.kill('SIGKILL'));

  let ready = false;
  for (let i = 0; i < 100 && !ready && server.exitCode === null; i++) {
    ready = await fetch(`http://127.0.0.1:${healthPort}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  t.ok(ready, `the production install serves and is ready${ready ? '' : `: ${output}`}`);
  server.kill('SIGTERM');
  t.equal(await exited, 0, 'and exits 0 on SIGTERM');
});
