import { pushImage, startRegistry } from '../test/harness/registry/index.js';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import { deploymentReview, isCleanAllow, VALIDATE_PATH } from './lib/admission-review.js';
import { closedLoop, openPool } from './lib/load.js';
import { processCpuMs, stopChild, waitForHttp } from './lib/child-process.js';
import { freePort } from '../test/harness/registry/free-port.js';

const root = '/work/main';
const dir = await mkdtemp(path.join(os.tmpdir(), 'pgexp-'));
execFileSync(`${root}/node_modules/.bin/node`, [`${root}/dist/main.js`, 'certs', '--out', `${dir}/certs`, '--san', '127.0.0.1']);
const ca = await readFile(`${dir}/certs/ca.crt`, 'utf8');
const reg = await startRegistry({ mode: 'plain' });
const imgs = [];
for (const r of ['a', 'b', 'c']) imgs.push((await pushImage(reg, { repository: `w/${r}`, tags: ['1.0'], format: 'oci-manifest' })).reference);
const body = deploymentReview({ images: imgs });
for (const variant of (process.env.VARIANTS ?? 'default,quiet').split(',')) {
  const port = await freePort(); const hp = await freePort();
  const cfg = { credentials: { kubernetes: false }, platforms: ['linux/amd64'], registries: [{ host: reg.host, plainHttp: true }], tls: { certFile: `${dir}/certs/tls.crt`, keyFile: `${dir}/certs/tls.key` }, listen: { host: '127.0.0.1', port, healthPort: hp } };
  await writeFile(`${dir}/c.json`, JSON.stringify(cfg));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  if (variant === 'quiet') env['LOG_LEVEL'] = 'warn';
  const flags = variant === 'prof' ? ['--cpu-prof', `--cpu-prof-dir=/tmp/pgprof2`] : [];
  const child = spawn(`${root}/node_modules/.bin/node`, [...flags, variant.startsWith('before') ? '/tmp/pgbefore/dist/main.js' : `${root}/dist/main.js`, 'serve', '--config', `${dir}/c.json`], { stdio: ['ignore', 'ignore', 'inherit'], env });
  await waitForHttp(`http://127.0.0.1:${hp}/readyz`, child, 20000);
  const target = { origin: `https://127.0.0.1:${port}`, caPem: ca, path: VALIDATE_PATH, body, accept: isCleanAllow };
  const pool = openPool(target, 16);
  await closedLoop(pool, target, { concurrency: 16, durationMs: Number(process.env.WARM ?? 1500) });
  const c0 = await processCpuMs(child.pid!);
  const r = await closedLoop(pool, target, { concurrency: 16, durationMs: 4000 });
  const c1 = await processCpuMs(child.pid!);
  console.log(variant, r.requestsPerSecond.toFixed(0), 'rps', r.errors, 'errors', ((c1 - c0) / r.requests).toFixed(3), 'ms cpu/req');
  await pool.close(); await stopChild(child);
}
await reg.stop();
