/**
 * The session docs/diagnose.md and the README show, reproducible: a cluster with failing pods in the fake Kubernetes
 * API and their images in the real registry (the test harness's), then the built `pullguard diagnose` run on it as a
 * user runs it (KUBECONFIG and PULLGUARD_CONFIG in the environment). Run after `npm run build`:
 *
 *   node --import ./bench/ts-hooks.mjs test/diagnose/demo-session.ts
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { startRegistry } from '../harness/registry/index.js';
import { pushShopImages, seedShop } from './failing-cluster.js';

const ROOT = join(import.meta.dirname, '..', '..');
const reg = await startRegistry({ mode: 'basic' });
const kube = await startFakeKubeApi();
const dir = await mkdtemp(join(tmpdir(), 'pullguard-demo-'));
try {
  await pushShopImages(reg);
  kube.addNamespace({ metadata: { name: 'shop' } });
  kube.addServiceAccount({ metadata: { namespace: 'shop', name: 'default' } });
  seedShop(kube, reg);
  const H = reg.host;
  const config = join(dir, 'pullguard.yaml');
  await writeFile(config, `registries:\n  - host: ${H}\n    caFile: ${reg.caFile}\n`);

  const env = { ...process.env, KUBECONFIG: kube.kubeconfigPath, PULLGUARD_CONFIG: config };
  for (const args of [
    ['diagnose', 'deployment/web', '-n', 'shop'],
    ['diagnose', '-A'],
    ['diagnose', 'pod/no-secret', '-n', 'shop', '-o', 'json'],
    ['diagnose', 'pod/healthy', '-n', 'shop'],
    ['diagnose', 'pod/nope', '-n', 'shop'],
  ]) {
    // Asynchronous: the fake API answers from this process while the command runs.
    const output = await new Promise<string>((resolve) =>
      execFile(process.execPath, [join(ROOT, 'dist', 'main.js'), ...args], { env }, (error, stdout, stderr) =>
        resolve(`${stdout}${stderr}$ echo $?\n${error ? String(error.code) : '0'}`),
      ),
    );
    process.stdout.write(`$ pullguard ${args.join(' ')}\n${output}\n\n`);
  }
} finally {
  await kube.close();
  await reg.stop();
  await rm(dir, { recursive: true, force: true });
}
