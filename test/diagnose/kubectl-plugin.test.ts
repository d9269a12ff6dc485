/**
 * The kubectl plugin: kubectl runs `kubectl-pullguard` from PATH for `kubectl pullguard …`
 * (https://kubernetes.io/docs/tasks/extend-kubectl/kubectl-plugins/). The built entry, started through a link of
 * that name as kubectl starts it (an executable found on PATH), answers in the plugin's name and reads the cluster.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startShopCluster } from '../helpers/shop-cluster.js';
import { addFailingPod } from './failing-cluster.js';

const ROOT = join(import.meta.dirname, '..', '..');
const NODE_BIN = join(ROOT, 'node_modules', '.bin');

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(file: string, args: string[], env: Record<string, string>): Promise<Result> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

t.test('kubectl-pullguard on PATH runs diagnose under the name kubectl users type', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pullguard-plugin-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  // What `npm install -g` makes: a link named after the bin entry, to the built file.
  await symlink(join(ROOT, 'dist', 'kubectl-pullguard.js'), join(dir, 'kubectl-pullguard'));
  const env = { PATH: `${dir}:${NODE_BIN}:/usr/bin:/bin`, HOME: dir };

  const help = await run('kubectl-pullguard', ['diagnose', '--help'], env);
  t.equal(help.code, 0);
  t.match(help.stdout, /^Usage: kubectl pullguard diagnose /);

  const usage = await run('kubectl-pullguard', ['diagnose'], env);
  t.equal(usage.code, 2);
  t.match(usage.stderr, /^kubectl pullguard: diagnose: name a pod .*see kubectl pullguard diagnose --help\n$/);

  const kube = await startShopCluster(t);
  addFailingPod(kube, {
    name: 'web-1',
    image: 'reg.invalid/team/App:1',
    reason: 'InvalidImageName',
    error:
      'Failed to apply default image tag "reg.invalid/team/App:1": couldn\'t parse image reference "reg.invalid/team/App:1": invalid reference format: repository name must be lowercase',
  });
  // KUBECONFIG as kubectl passes it through to its plugins; no --kubeconfig flag.
  const found = await run('kubectl-pullguard', ['diagnose', 'po/web-1', '-n', 'shop', '-o', 'json'], {
    ...env,
    KUBECONFIG: kube.kubeconfigPath,
  });
  t.equal(found.code, 1, found.stderr);
  const report = JSON.parse(found.stdout);
  t.equal(report.pods[0].name, 'web-1');
  t.equal(report.pods[0].containers[0].runtimeError.kind, 'invalidReference');
  t.equal(report.pods[0].containers[0].reconciliation.verdict, 'still-broken', 'the engine finds the same, offline');
});
