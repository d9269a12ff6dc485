/**
 * `pullguard diagnose` end to end: pods failing to pull in the fake Kubernetes API (read through client-node), their
 * images in the real Distribution registry (basic auth over TLS), the command run as a user runs it, output read
 * as text and as JSON.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { diagnoseCli } from '../../src/cli/diagnose-cli.js';
import { startRegistry } from '../harness/registry/index.js';
import { startShopCluster } from '../helpers/shop-cluster.js';
import { addFailingPod, pushShopImages, seedShop } from './failing-cluster.js';

const reg = await startRegistry({ mode: 'basic' });
t.teardown(() => reg.stop());
await pushShopImages(reg);
const kube = await startShopCluster(t);
seedShop(kube, reg);
const dir = await mkdtemp(join(tmpdir(), 'pullguard-diagnose-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const configPath = join(dir, 'pullguard.yaml');
await writeFile(configPath, JSON.stringify({ registries: [{ host: reg.host, caFile: reg.caFile }] }));

const H = reg.host;
kube.addSecret({
  metadata: { name: 'badcred', namespace: 'shop' },
  type: 'kubernetes.io/dockerconfigjson',
  stringData: {
    '.dockerconfigjson': JSON.stringify({ auths: { [H]: { username: 'alice', password: 'not-her-password' } } }),
  },
});
addFailingPod(kube, {
  name: 'bad-password',
  image: `${H}/team/app:1.0`,
  secrets: ['badcred'],
  error: `failed to pull and unpack image "${H}/team/app:1.0": failed to resolve image: unexpected status from HEAD request to https://${H}/v2/team/app/manifests/1.0: 401 Unauthorized`,
});
kube.addNamespace({ metadata: { name: 'tools' } });
kube.addServiceAccount({ metadata: { namespace: 'tools', name: 'default' } });
addFailingPod(kube, {
  name: 'never',
  namespace: 'tools',
  image: 'tools/cli:1',
  reason: 'ErrImageNeverPull',
  pullPolicy: 'Never',
  error: 'Container image "tools/cli:1" is not present with pull policy of Never',
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function diagnose(...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await diagnoseCli([...argv, '--kubeconfig', kube.kubeconfigPath, '--config', configPath], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    homeDir: dir,
    cwd: dir,
    program: 'kubectl pullguard',
  });
  return { code, stdout, stderr };
}

async function json(...argv: string[]): Promise<any> {
  const run = await diagnose(...argv, '-o', 'json');
  return { ...run, report: JSON.parse(run.stdout) };
}

const only = (report: any) => {
  t.equal(report.pods.length, 1, 'one pod');
  return report.pods[0].containers[0];
};

t.test('a missing tag: the closest tag and kubectl set image on the Deployment', async (t) => {
  const { code, report } = await json('pod/web-7c9d5f-abcde', '-n', 'shop');
  t.equal(code, 1);
  t.same(report.pods[0].owner, { kind: 'Deployment', name: 'web' });
  const c = only(report);
  t.equal(c.runtimeError.kind, 'notFound');
  t.equal(c.runtimeError.writer, 'containerd');
  t.equal(c.engine.findings[0].class, 'notFound');
  t.equal(c.reconciliation.verdict, 'still-broken');
  t.match(c.reconciliation.reason, /tag "1\.2" does not exist/);
  t.equal(c.fix.steps[0].command, `kubectl set image deployment/web app=${H}/team/app:1.1 -n shop`);
  t.equal(c.events.failed.count, 4);
  t.equal(c.events.backOff.count, 20);

  const text = await diagnose('web-7c9d5f-abcde', '-n', 'shop');
  t.equal(text.code, 1);
  t.match(text.stdout, `      kubectl set image deployment/web app=${H}/team/app:1.1 -n shop\n`);
  t.match(text.stdout, /Node:\s+node-amd64 \(linux\/amd64, containerd:\/\/2\.1\.4\)/);
  t.notMatch(text.stdout, /\x1b\[/, 'no colour when stdout is not a terminal');
});

t.test('a private repository and no pull secret: create one and list it', async (t) => {
  const c = only((await json('pod/no-secret', '-n', 'shop')).report);
  t.equal(c.reconciliation.verdict, 'still-broken');
  t.match(c.engine.findings[0].class, /^(unauthorized|missingPullSecret)$/);
  const commands = c.fix.steps.map((s: any) => s.command).filter(Boolean);
  t.match(commands[0], `kubectl create secret docker-registry `);
  t.match(commands[0], `--docker-server=${H}`);
  t.match(commands[1], /^kubectl patch serviceaccount default -n shop -p /);
});

t.test('a wrong password: the refused secret is named and replaced', async (t) => {
  const c = only((await json('pod/bad-password', '-n', 'shop')).report);
  t.equal(c.reconciliation.verdict, 'still-broken');
  t.match(c.reconciliation.reason, /badcred/);
  t.match(c.fix.steps[0].command, /^kubectl create secret docker-registry badcred /);
  t.notMatch(JSON.stringify(c), /not-her-password/, 'the password never appears');
});

t.test("a platform mismatch: the node's platform, and a nodeSelector for one the image has", async (t) => {
  const { report } = await json('pod/on-arm', '-n', 'shop');
  t.same(report.pods[0].node.platform, { os: 'linux', architecture: 'arm64' });
  const c = only(report);
  t.equal(c.runtimeError.kind, 'platformMismatch');
  t.equal(c.reconciliation.verdict, 'still-broken');
  t.equal(c.engine.findings[0].class, 'platformMismatch');
  t.match(c.fix.steps[0].say, /linux\/amd64/);
});

t.test('fixed since: the tag exists now, delete the pod to retry at once', async (t) => {
  const { code, report } = await json('pod/fixed', '-n', 'shop');
  t.equal(code, 1, 'the pod still fails until it retries');
  const c = only(report);
  t.equal(c.reconciliation.verdict, 'fixed-since');
  t.same(c.engine.findings, []);
  t.equal(c.fix.steps[0].command, 'kubectl delete pod fixed -n shop');
});

t.test('no space left on device: node-side, whatever pullguard finds', async (t) => {
  const c = only((await json('pod/disk-full', '-n', 'shop')).report);
  t.equal(c.runtimeError.kind, 'diskFull');
  t.equal(c.runtimeError.nodeSide, true);
  t.equal(c.reconciliation.verdict, 'node-side');
  t.match(c.reconciliation.reason, /disk/);
});

t.test('--all-namespaces lists exactly the failing pods', async (t) => {
  const { code, report } = await json('-A');
  t.equal(code, 1);
  t.same(
    report.pods.map((p: any) => `${p.namespace}/${p.name}`),
    [
      'shop/bad-password',
      'shop/disk-full',
      'shop/fixed',
      'shop/no-secret',
      'shop/on-arm',
      'shop/web-7c9d5f-abcde',
      'tools/never',
    ],
  );
  t.equal(report.failing, 7);
});

t.test('a pod that is not failing says so and exits 0; a missing one exits 2 with one clear line', async (t) => {
  const healthy = await diagnose('pod/healthy', '-n', 'shop');
  t.equal(healthy.code, 0);
  t.match(healthy.stdout, 'pod shop/healthy is not failing');
  const missing = await diagnose('pod/nope', '-n', 'shop');
  t.equal(missing.code, 2);
  t.match(missing.stdout, 'pod "nope" not found in namespace shop');
  const missingJson = await diagnose('pod/nope', '-n', 'shop', '-o', 'json');
  t.equal(missingJson.code, 2);
  t.equal(missingJson.stderr, 'kubectl pullguard: pod "nope" not found in namespace shop\n');
});

t.test('events forbidden: diagnosed from the pod, and the output says what it could not read', async (t) => {
  kube.fault(/\/events/, { status: 403 });
  t.teardown(() => kube.clearFaults());
  const run = await diagnose('pod/web-7c9d5f-abcde', '-n', 'shop');
  t.equal(run.code, 1);
  t.match(run.stdout, /cannot read the events of pod shop\/web-7c9d5f-abcde \(forbidden/);
  t.match(run.stdout, `kubectl set image deployment/web app=${H}/team/app:1.1 -n shop`, 'the engine still explains it');
});

t.test('secrets forbidden: the engine says it could not read them; no crash, no secret data', async (t) => {
  kube.fault(/\/secrets\//, { status: 403 });
  t.teardown(() => kube.clearFaults());
  const { code, report, stderr } = await json('pod/bad-password', '-n', 'shop');
  t.equal(code, 1);
  t.equal(stderr, '');
  t.same(report.unread, ['cannot read pull secret shop/badcred (forbidden: HTTP 403)']);
  const c = only(report);
  t.match(c.engine.findings[0].cause, /could not read every pull secret/);
  t.notMatch(JSON.stringify(report), /not-her-password/);
});

t.test('usage and access errors exit 2 with one line', async (t) => {
  const none = await diagnose();
  t.equal(none.code, 2);
  t.match(none.stderr, /^kubectl pullguard: diagnose: name a pod/);
  const context = await diagnose('pod/x', '--context', 'nope');
  t.equal(context.code, 2);
  t.match(context.stderr, /has no context "nope"/);
  let stderr = '';
  const noCluster = await diagnoseCli(['pod/x'], {
    stdout: { write: () => true },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    homeDir: dir,
    cwd: dir,
    program: 'pullguard',
  });
  t.equal(noCluster, 2);
  t.equal(
    stderr,
    'pullguard: no cluster to read: no kubeconfig at ~/.kube/config and not running in a pod; give --kubeconfig FILE or set KUBECONFIG\n',
  );
  const help = await diagnose('--help');
  t.equal(help.code, 0);
  t.match(help.stdout, /^Usage: kubectl pullguard diagnose/);
});
