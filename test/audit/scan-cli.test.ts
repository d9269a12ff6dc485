/**
 * `pullguard scan` end to end: workloads in the fake Kubernetes API (listed through client-node), their images in
 * the real Distribution registry (basic auth over TLS), a tag deleted from the registry after the workloads were
 * admitted, the command run as a user runs it, output read as text and as JSON, requests counted at the registry.
 */
import { join } from 'node:path';
import t from 'tap';
import { scanCli } from '../../src/cli/scan-cli.js';
import { startScanCluster } from './scan-cluster.js';

const { reg, kube, dir, configPath, writeConfig } = await startScanCluster(t);
const H = reg.host;

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
