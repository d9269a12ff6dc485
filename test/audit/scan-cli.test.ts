/**
 * `pullguard scan` end to end: workloads in the fake Kubernetes API (listed through client-node), their images in
 * the real Distribution registry (basic auth over TLS), a tag deleted from the registry after the workloads were
 * admitted, the command run as a user runs it, output read as text and as JSON, requests counted at the registry.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { scanCli } from '../../src/cli/scan-cli.js';
import { dockerConfigJson, pushImage, startRegistry } from '../harness/registry/index.js';
import { harnessHttp } from '../harness/registry/http-client.js';
import { startShopCluster } from '../helpers/shop-cluster.js';

const reg = await startRegistry({ mode: 'basic' });
t.teardown(() => reg.stop());
const H = reg.host;
await pushImage(reg, { repository: 'team/app', tags: ['1.0'], format: 'oci-manifest' });
const doomed = await pushImage(reg, { repository: 'team/app', tags: ['1.1'], format: 'oci-manifest', salt: 'b' });
await pushImage(reg, { repository: 'team/report', tags: ['2.0'], format: 'oci-manifest' });
await pushImage(reg, { repository: 'team/shared', tags: ['1.0'], format: 'oci-index' }); // linux/amd64 only
for (let i = 0; i < 6; i++)
  await pushImage(reg, { repository: 'team/paced', tags: [`${i}`], format: 'oci-manifest', salt: `${i}` });

const kube = await startShopCluster(t);
for (const architecture of ['amd64', 'arm64'])
  kube.addNode({
    metadata: {
      name: `node-${architecture}`,
      labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': architecture },
    },
    status: { nodeInfo: { operatingSystem: 'linux', architecture, containerRuntimeVersion: 'containerd://2.1.4' } },
  });
const dir = await mkdtemp(join(tmpdir(), 'pullguard-scan-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const writeConfig = async (name: string, extra: object = {}): Promise<string> => {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify({ registries: [{ host: H, caFile: reg.caFile }], ...extra }));
  return path;
};
const configPath = await writeConfig('pullguard.yaml');

const SECRETS = [{ name: 'regcred' }];
for (const namespace of ['shop', 'tools', 'paced', 'arm', 'quiet']) {
  if (namespace !== 'shop') {
    kube.addNamespace({
      metadata: { name: namespace, ...(namespace === 'quiet' ? { labels: { 'pullguard.io/mode': 'off' } } : {}) },
    });
    kube.addServiceAccount({ metadata: { namespace, name: 'default' } });
  }
  kube.addSecret({
    metadata: { name: 'regcred', namespace },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(dockerConfigJson(reg)).toString('base64') },
  });
}
const podSpec = (image: string, secrets: object[] = SECRETS) => ({
  imagePullSecrets: secrets,
  containers: [{ name: 'app', image }],
});
const deployment = (
  namespace: string,
  name: string,
  image: string,
  extra: { replicas?: number; secrets?: object[] } = {},
) =>
  kube.add('apps/deployments', {
    metadata: { name, namespace, uid: `uid-${name}`, labels: { app: name } },
    spec: {
      replicas: extra.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: podSpec(image, extra.secrets) },
    },
  });

// Admitted while every tag existed.
deployment('shop', 'web', `${H}/team/app:1.1`, { replicas: 0 });
deployment('shop', 'api', `${H}/team/app:1.0`);
deployment('shop', 'private', `${H}/team/report:2.0`, { secrets: [] });
kube.add('batch/cronjobs', {
  metadata: { name: 'nightly', namespace: 'shop', labels: { app: 'nightly' } },
  spec: {
    schedule: '0 3 * * *',
    jobTemplate: { spec: { template: { spec: { ...podSpec(`${H}/team/app:1.1`), restartPolicy: 'OnFailure' } } } },
  },
});
// The api Deployment's ReplicaSet and Pod: their pulls are the Deployment's, never counted twice.
kube.add('apps/replicasets', {
  metadata: {
    name: 'api-5d8f',
    namespace: 'shop',
    labels: { app: 'api' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'uid-api', controller: true }],
  },
  spec: { replicas: 1, selector: { matchLabels: { app: 'api' } }, template: { spec: podSpec(`${H}/team/app:1.0`) } },
});
kube.addPod({
  metadata: {
    name: 'api-5d8f-x1',
    namespace: 'shop',
    labels: { app: 'api' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-5d8f', uid: 'uid-rs', controller: true }],
  },
  spec: { ...podSpec(`${H}/team/app:1.0`), nodeName: 'node-1' },
  status: { phase: 'Running' },
});
deployment('tools', 'one', `${H}/team/shared:1.0`);
deployment('tools', 'two', `${H}/team/shared:1.0`);
kube.addPod({ metadata: { name: 'debug', namespace: 'tools' }, spec: podSpec(`${H}/team/shared:1.0`), status: {} });
for (let i = 0; i < 6; i++) deployment('paced', `p${i}`, `${H}/team/paced:${i}`);
deployment('quiet', 'legacy', `${H}/team/app:1.1`);
kube.add('apps/statefulsets', {
  metadata: { name: 'db', namespace: 'arm' },
  spec: {
    selector: { matchLabels: { app: 'db' } },
    template: {
      metadata: { labels: { app: 'db' } },
      spec: { ...podSpec(`${H}/team/shared:1.0`), nodeSelector: { 'kubernetes.io/arch': 'arm64' } },
    },
  },
});

// Then the tag is deleted from the registry.
const http = harnessHttp(reg.caPem);
t.teardown(() => http.close());
const auth = `Basic ${Buffer.from(`alice:${reg.users['alice']}`).toString('base64')}`;
const deleted = await http.send(`https://${H}/v2/team/app/manifests/${doomed.digest}`, {
  method: 'DELETE',
  headers: { authorization: auth },
});
if (deleted.status !== 202) throw new Error(`the registry did not delete the manifest: HTTP ${deleted.status}`);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function scan(
  argv: string[],
  options: { config?: string; kubeconfig?: string; signal?: AbortSignal } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await scanCli(
    [...argv, '--kubeconfig', options.kubeconfig ?? kube.kubeconfigPath, '--config', options.config ?? configPath],
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      homeDir: dir,
      cwd: dir,
      program: 'pullguard',
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  return { code, stdout, stderr };
}

async function json(...argv: string[]): Promise<Run & { report: any }> {
  const run = await scan([...argv, '-o', 'json']);
  return { ...run, report: JSON.parse(run.stdout) };
}

t.test('a tag deleted after admission: the scaled-to-zero Deployment and the CronJob are unavailable', async (t) => {
  const { code, report } = await json('-n', 'shop');
  t.equal(code, 1);
  t.equal(report.kind, 'ScanReport');
  const row = (kind: string, name: string) => report.uses.find((u: any) => u.kind === kind && u.name === name);
  t.match(row('Deployment', 'web'), {
    namespace: 'shop',
    container: 'app',
    path: 'spec.template.spec.containers[0].image',
    image: `${H}/team/app:1.1`,
    outcome: 'unavailable',
    class: 'notFound',
    message: /tag "1\.1" does not exist.*1\.0/s,
  });
  t.match(row('CronJob', 'nightly'), {
    path: 'spec.jobTemplate.spec.template.spec.containers[0].image',
    outcome: 'unavailable',
    class: 'notFound',
  });
  t.match(row('Deployment', 'api'), { outcome: 'available' });
  t.match(row('Deployment', 'private'), { outcome: 'unavailable', class: 'unauthorized' });
  t.same(
    report.uses.map((u: any) => `${u.kind}/${u.name}`),
    ['CronJob/nightly', 'Deployment/api', 'Deployment/private', 'Deployment/web'],
    'the ReplicaSet and Pod of api are not counted again',
  );
  t.same(report.summary, { images: 3, checks: 3, uses: 4, available: 1, unavailable: 3, error: 0, skipped: 0 });
});

t.test('the text table: failing rows first, then why', async (t) => {
  const { code, stdout } = await scan(['-n', 'shop']);
  t.equal(code, 1);
  const lines = stdout.split('\n');
  t.match(lines[0], /^NAMESPACE\s+KIND\s+NAME\s+CONTAINER\s+IMAGE\s+STATUS$/);
  t.match(lines.slice(1, 4).join('\n'), /unavailable \(notFound\)[\s\S]*unavailable/);
  t.match(lines[4], /api .* available$/);
  t.match(
    stdout,
    `Deployment shop/web, "app" (spec.template.spec.containers[0].image)\n  image: ${H}/team/app:1.1\n  notFound: tag "1.1" does not exist`,
  );
  t.match(stdout, '3 images (3 checks) in 4 uses: 3 unavailable, 0 error, 0 skipped, 1 available.');
});

t.test('one registry request per distinct image and credentials', async (t) => {
  const before = await reg.accessLog();
  const { code, report } = await json('-n', 'tools');
  t.equal(code, 0, 'everything available');
  t.equal(report.summary.uses, 3, 'two Deployments and a bare Pod');
  t.equal(report.summary.checks, 1);
  const heads = (await reg.accessLog())
    .slice(before.length)
    .filter((e) => e.method === 'HEAD' && e.uri.startsWith('/v2/team/shared/manifests/') && e.status === 200);
  t.equal(heads.length, 1, 'one manifest HEAD answered for three uses');
});

t.test("the workload's placement: an amd64-only image on arm64 nodes", async (t) => {
  const { code, report } = await json('-n', 'arm');
  t.equal(code, 1);
  t.match(report.uses, [{ kind: 'StatefulSet', name: 'db', outcome: 'unavailable', class: 'platformMismatch' }]);
});

t.test('-l narrows to the labelled workloads; -A reads every namespace', async (t) => {
  const labelled = await json('-n', 'shop', '-l', 'app=nightly');
  t.same(
    labelled.report.uses.map((u: any) => u.name),
    ['nightly'],
  );
  const all = await json('-A');
  t.same([...new Set(all.report.uses.map((u: any) => u.namespace))].sort(), ['arm', 'paced', 'quiet', 'shop', 'tools']);
  t.match(
    all.report.uses.find((u: any) => u.namespace === 'quiet'),
    { name: 'legacy', outcome: 'skipped', message: /pullguard\.io\/mode=off/ },
    'a namespace pullguard is off in is not checked',
  );
});

t.test('the pace per registry holds, counted at the registry', async (t) => {
  const paced = await writeConfig('paced.yaml', { audit: { requestsPerSecondPerRegistry: 2, concurrency: 6 } });
  const before = await reg.accessLog();
  const started = Date.now();
  const run = await scan(['-n', 'paced', '-o', 'json'], { config: paced });
  t.equal(run.code, 0, run.stderr);
  const seen = (await reg.accessLog()).slice(before.length);
  t.ok(seen.filter((e) => e.uri.startsWith('/v2/team/paced/manifests/')).length >= 6, 'six distinct tags asked');
  const span = Math.max(...seen.map((e) => e.atSeconds)) - Math.min(...seen.map((e) => e.atSeconds));
  t.ok(span >= 2, `the requests spread over ${span}s`);
  t.ok(Date.now() - started >= 2000);
});

t.test('partial access: a forbidden resource is said, the rest is scanned', async (t) => {
  kube.fault(/\/cronjobs/, { status: 403 });
  t.teardown(() => kube.clearFaults());
  const { code, report, stderr } = await json('-n', 'shop');
  t.equal(code, 1);
  t.match(report.problems, [/cannot list cronjobs\.batch in namespace "shop": forbidden/]);
  t.match(stderr, /cronjobs\.batch.*forbidden/);
  t.notOk(report.uses.some((u: any) => u.kind === 'CronJob'));
  t.ok(report.uses.some((u: any) => u.name === 'web'));
});

t.test('access errors exit 2 with one line', async (t) => {
  kube.fault(/^\/api/, { status: 403 });
  const forbidden = await scan(['-n', 'shop']);
  kube.clearFaults();
  t.equal(forbidden.code, 2);
  t.match(
    forbidden.stderr,
    /^pullguard: no workload could be listed at https:\/\/127\.0\.0\.1:\d+: cannot list .*forbidden/,
  );
  t.equal(forbidden.stdout, '');

  const missing = await scan(['-n', 'shop'], { kubeconfig: join(dir, 'no-such-kubeconfig') });
  t.equal(missing.code, 2);
  t.equal(missing.stderr.split('\n').filter(Boolean).length, 1);

  const context = await scan(['-n', 'shop', '--context', 'nope']);
  t.equal(context.code, 2);
  t.match(context.stderr, /nope/);

  const usage = await scan(['-o', 'yaml']);
  t.equal(usage.code, 2);
  t.match(usage.stderr, /output format "yaml"/);
});

t.test('Ctrl-C: exit 2, one line, no report', async (t) => {
  const stop = new AbortController();
  stop.abort();
  const run = await scan(['-n', 'shop'], { signal: stop.signal });
  t.equal(run.code, 2);
  t.match(run.stderr, /^pullguard: scan stopped/);
  t.equal(run.stdout, '');
});
