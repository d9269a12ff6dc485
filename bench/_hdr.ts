import { pushImage, startRegistry } from '../test/harness/registry/index.js';
import { setUpEnvironment } from './lib/environment.js';
import { startPullguard } from './lib/pullguard-process.js';
import { startBaseline } from './lib/baseline-process.js';
import { deploymentReview, VALIDATE_PATH } from './lib/admission-review.js';
import { openPool } from './lib/load.js';
const env = await setUpEnvironment({ repoRoot: '/work/main', durationMs: 1000, connections: 1, log: console.log });
const s = await startPullguard({ name: 'h', repoRoot: '/work/main', workDir: env.workDir, certDir: env.certDir, config: env.serverConfig });
const b = await startBaseline({ repoRoot: '/work/main', certDir: env.certDir, caPem: env.caPem });
const img = (await pushImage(env.plain, { repository: 'x/y', tags: ['1'], format: 'oci-manifest' })).reference;
const body = deploymentReview({ images: [img, img + '1', img + '2'] });
for (const origin of [s.origin, b.origin]) {
  const pool = openPool({ origin, caPem: env.caPem }, 1);
  for (let i = 0; i < 2; i++) {
    const r = await pool.request({ path: VALIDATE_PATH, method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const t = await r.body.text();
    if (i === 1) console.log(origin, r.statusCode, JSON.stringify(r.headers), t.length, t.slice(0, 300));
  }
  await pool.close();
}
await s.stop(); await b.stop(); await env.close();
