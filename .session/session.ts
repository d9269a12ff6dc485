import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeKubeApi } from '../test/harness/fake-kube-api/fake-kube-api.js';
import { dockerConfigJson, pushImage, startRegistry } from '../test/harness/registry/index.js';
import { addDeployment, addFailingPod, addNode, addRunningPod } from '../test/diagnose/failing-cluster.js';

const reg = await startRegistry({ mode: 'basic' });
await pushImage(reg, { repository: 'team/app', tags: ['1.0', '1.1'], format: 'oci-manifest' });
await pushImage(reg, { repository: 'team/multi', tags: ['1.0'], format: 'oci-index', platforms: [{ os: 'linux', architecture: 'amd64' }] });
const kube = await startFakeKubeApi();
kube.addNamespace({ metadata: { name: 'shop' } });
kube.addServiceAccount({ metadata: { namespace: 'shop', name: 'default' } });
const H = reg.host;
kube.addSecret({ metadata: { name: 'regcred', namespace: 'shop' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(dockerConfigJson(reg)).toString('base64') } });
addNode(kube, 'node-amd64', 'amd64');
addNode(kube, 'node-arm64', 'arm64');
const web = addDeployment(kube, 'web', '7c9d5f', `${H}/team/app:1.2`);
addFailingPod(kube, { name: 'web-7c9d5f-abcde', image: `${H}/team/app:1.2`, secrets: ['regcred'], error: `rpc error: code = NotFound desc = failed to pull and unpack image "${H}/team/app:1.2": failed to resolve image: ${H}/team/app:1.2: not found`, ...web });
addFailingPod(kube, { name: 'report-job', image: `${H}/team/app:1.0`, error: `failed to pull and unpack image "${H}/team/app:1.0": failed to resolve image: unexpected status from HEAD request to https://${H}/v2/team/app/manifests/1.0: 401 Unauthorized` });
addFailingPod(kube, { name: 'worker-arm', node: 'node-arm64', image: `${H}/team/multi:1.0`, secrets: ['regcred'], error: `rpc error: code = NotFound desc = failed to pull and unpack image "${H}/team/multi:1.0": no match for platform in manifest: not found` });
addFailingPod(kube, { name: 'batch-2', image: `${H}/team/app:1.0`, secrets: ['regcred'], error: `rpc error: code = Unknown desc = failed to pull and unpack image "${H}/team/app:1.0": failed to extract layer sha256:${'1'.repeat(64)}: write /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/118/fs/usr/lib/libfoo.so: no space left on device: unknown` });
addRunningPod(kube, 'cache-0', `${H}/team/app:1.0`);
const dir = mkdtempSync(join(tmpdir(), 'session-'));
const cfg = join(dir, 'pullguard.yaml');
writeFileSync(cfg, `registries:\n  - host: ${H}\n    caFile: ${reg.caFile}\n`);
const run = (args: string[]) =>
  new Promise<string>((resolve) =>
    execFile(process.execPath, ['dist/main.js', ...args], { env: { ...process.env, KUBECONFIG: kube.kubeconfigPath, PULLGUARD_CONFIG: cfg }, encoding: 'utf8' }, (e, stdout, stderr) =>
      resolve(`${stdout}${stderr}[exit ${e ? e.code : 0}]`),
    ),
  );
for (const args of [['diagnose', 'deployment/web', '-n', 'shop'], ['diagnose', '-A'], ['diagnose', 'report-job', '-n', 'shop', '-o', 'json'], ['diagnose', 'pod/cache-0', '-n', 'shop'], ['diagnose', 'pod/nope', '-n', 'shop']]) {
  console.log(`===== $ pullguard ${args.join(' ')}`);
  console.log(await run(args));
}
await kube.close();
await reg.stop();
