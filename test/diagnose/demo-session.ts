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
import { dockerConfigJson, pushImage, startRegistry } from '../harness/registry/index.js';
import { addDeployment, addFailingPod, addNode, addRunningPod } from './failing-cluster.js';

const ROOT = join(import.meta.dirname, '..', '..');
const reg = await startRegistry({ mode: 'basic' });
const kube = await startFakeKubeApi();
const dir = await mkdtemp(join(tmpdir(), 'pullguard-demo-'));
try {
  await pushImage(reg, { repository: 'team/app', tags: ['1.0', '1.1'], format: 'oci-manifest' });
  const amd64 = [{ os: 'linux', architecture: 'amd64' }];
  await pushImage(reg, { repository: 'team/multi', tags: ['1.0'], format: 'oci-index', platforms: amd64 });
  const H = reg.host;
  kube.addNamespace({ metadata: { name: 'shop' } });
  kube.addServiceAccount({ metadata: { namespace: 'shop', name: 'default' } });
  kube.addSecret({
    metadata: { name: 'regcred', namespace: 'shop' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(dockerConfigJson(reg)).toString('base64') },
  });
  addNode(kube, 'node-amd64', 'amd64');
  addNode(kube, 'node-arm64', 'arm64');
  const notFound = (image: string) =>
    `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve image: ${image}: not found`;
  addFailingPod(kube, {
    name: 'web-7c9d5f-abcde',
    image: `${H}/team/app:1.2`,
    secrets: ['regcred'],
    error: notFound(`${H}/team/app:1.2`),
    ...addDeployment(kube, 'web', '7c9d5f', `${H}/team/app:1.2`),
  });
  addFailingPod(kube, {
    name: 'report',
    image: `${H}/team/app:1.0`,
    error: `failed to pull and unpack image "${H}/team/app:1.0": failed to resolve image: unexpected status from HEAD request to https://${H}/v2/team/app/manifests/1.0: 401 Unauthorized`,
  });
  addFailingPod(kube, {
    name: 'worker-arm',
    node: 'node-arm64',
    image: `${H}/team/multi:1.0`,
    secrets: ['regcred'],
    error: `rpc error: code = NotFound desc = failed to pull and unpack image "${H}/team/multi:1.0": no match for platform in manifest: not found`,
  });
  addFailingPod(kube, {
    name: 'api',
    image: `${H}/team/app:1.1`,
    secrets: ['regcred'],
    error: notFound(`${H}/team/app:1.1`),
  });
  addFailingPod(kube, {
    name: 'batch',
    image: `${H}/team/app:1.0`,
    secrets: ['regcred'],
    error: `rpc error: code = Unknown desc = failed to pull and unpack image "${H}/team/app:1.0": failed to extract layer sha256:${'1'.repeat(64)}: write /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/118/fs/usr/lib/libfoo.so: no space left on device: unknown`,
  });
  addRunningPod(kube, 'cache-0', `${H}/team/app:1.0`);
  const config = join(dir, 'pullguard.yaml');
  await writeFile(config, `registries:\n  - host: ${H}\n    caFile: ${reg.caFile}\n`);

  const env = { ...process.env, KUBECONFIG: kube.kubeconfigPath, PULLGUARD_CONFIG: config };
  for (const args of [
    ['diagnose', 'deployment/web', '-n', 'shop'],
    ['diagnose', '-A'],
    ['diagnose', 'pod/report', '-n', 'shop', '-o', 'json'],
    ['diagnose', 'pod/cache-0', '-n', 'shop'],
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
