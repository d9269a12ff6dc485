/**
 * The continuous audit of `serve`, in process, against the fake Kubernetes API (lists, watch streams, Leases, Events,
 * SelfSubjectAccessReviews) and the real Distribution registry: a tag deleted after admission becomes an
 * `ImageUnavailable` Event on its workload and a series of the sparse gauge within one interval; a fix removes the
 * series; two replicas elect one auditor; a Lease taken away stops the audit.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runServe, type RunningServer } from '../../src/cli/serve-command.js';
import { buildConfig } from '../../src/config/load-config.js';
import { startFakeKubeApi, type FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { freePort } from '../harness/registry/free-port.js';
import { deleteImage, pushImage, startRegistry, type RegistryHandle } from '../harness/registry/index.js';

const INTERVAL_MS = 2_000;
const LEASE = { durationSeconds: 2, renewDeadlineSeconds: 1.2, retrySeconds: 0.3 };

interface Cluster {
  readonly reg: RegistryHandle;
  readonly api: FakeKubeApi;
  readonly kubeConfig: KubeConfig;
  readonly digests: Record<string, string>;
}

async function cluster(t: Test): Promise<Cluster> {
  const reg = await startRegistry({ mode: 'plain' });
  t.teardown(() => reg.stop());
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  const web = await pushImage(reg, { repository: 'shop/web', tags: ['1.0'], format: 'oci-manifest', salt: '1.0' });
  await pushImage(reg, { repository: 'shop/web', tags: ['1.1'], format: 'oci-manifest', salt: '1.1' });
  const report = await pushImage(reg, { repository: 'tools/report', tags: ['2.0'], format: 'oci-manifest' });
  api.addNamespace({ metadata: { name: 'shop' } });
  api.addServiceAccount({ metadata: { name: 'default', namespace: 'shop' } });
  api.add('apps/deployments', {
    metadata: { name: 'web', namespace: 'shop', uid: 'uid-web' },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: `${reg.host}/shop/web:1.0` }] },
      },
    },
  });
  api.add('batch/cronjobs', {
    metadata: { name: 'nightly', namespace: 'shop', uid: 'uid-nightly' },
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: {
        spec: {
          template: {
            spec: { restartPolicy: 'Never', containers: [{ name: 'report', image: `${reg.host}/tools/report:2.0` }] },
          },
        },
      },
    },
  });
  return { reg, api, kubeConfig, digests: { web: web.digest, report: report.digest } };
}

/** One replica of `pullguard serve`, in this process, auditing every INTERVAL_MS. */
async function replica(
  t: Test,
  c: Cluster,
  name: string,
  audit: Record<string, unknown> = {},
): Promise<RunningServer & { metrics(): Promise<string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'pullguard-audit-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const [port, healthPort] = [await freePort(), await freePort()];
  const built = buildConfig({
    tls: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') },
    listen: { host: '127.0.0.1', port, healthPort },
    registries: [{ host: c.reg.host, plainHttp: true }],
    credentials: { kubernetes: true },
    audit: { interval: `${INTERVAL_MS}ms`, leaseNamespace: 'pullguard', ...audit },
  });
  if (!built.ok) throw new Error(built.problems.join('\n'));
  const server = await runServe({
    config: built.config,
    dev: true,
    logLevel: 'silent',
    env: { KUBECONFIG: c.api.kubeconfigPath, POD_NAME: name },
    homeDir: dir,
    auditLease: LEASE,
  });
  t.teardown(() => server.shutdown());
  return {
    ...server,
    metrics: async () => (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text(),
  };
}

async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const unavailableSeries = (text: string): string[] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('pullguard_audit_image_unavailable{'))
    .sort();

async function auditEvents(c: Cluster): Promise<{ kind: string; name: string; uid: string; message: string }[]> {
  const list = await c.kubeConfig.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: 'shop' });
  return list.items
    .filter((event) => event.reason === 'ImageUnavailable')
    .map((event) => ({
      kind: event.involvedObject.kind ?? '',
      name: event.involvedObject.name ?? '',
      uid: event.involvedObject.uid ?? '',
      message: event.message ?? '',
      type: event.type,
      count: event.count,
    }));
}

const leading = async (server: RunningServer): Promise<boolean> => (await server.audit).leading();

t.test('a tag deleted after admission: an Event and a series within one interval; the fix removes it', async (t) => {
  const c = await cluster(t);
  const server = await replica(t, c, 'pullguard-0');
  await until('leading', () => leading(server));
  await until('the first pass', async () =>
    /pullguard_audit_images\{outcome="available"\} 2/.test(await server.metrics()),
  );
  t.same(unavailableSeries(await server.metrics()), [], 'nothing unavailable yet');
  t.same(await auditEvents(c), []);

  await deleteImage(c.reg, 'shop/web', c.digests.web as string);
  await deleteImage(c.reg, 'tools/report', c.digests.report as string);
  const deletedAt = Date.now();
  await until('both series', async () => unavailableSeries(await server.metrics()).length === 2, INTERVAL_MS * 3);
  t.ok(Date.now() - deletedAt <= INTERVAL_MS * 2.5, `seen within about one interval (${Date.now() - deletedAt} ms)`);
  t.same(unavailableSeries(await server.metrics()), [
    'pullguard_audit_image_unavailable{namespace="shop",kind="CronJob",name="nightly",container="report",class="notFound"} 1',
    'pullguard_audit_image_unavailable{namespace="shop",kind="Deployment",name="web",container="app",class="notFound"} 1',
  ]);
  await until('two Events', async () => (await auditEvents(c)).length === 2);
  const events = await auditEvents(c);
  t.match(
    events.find((e) => e.kind === 'Deployment'),
    {
      name: 'web',
      uid: 'uid-web',
      type: 'Warning',
      message: /^container "app": tag "1\.0" does not exist in 127\.0\.0\.1:\d+\/shop\/web\b/,
    },
  );
  t.match(
    events.find((e) => e.kind === 'CronJob'),
    { name: 'nightly', uid: 'uid-nightly' },
  );
  t.match(events.find((e) => e.kind === 'Deployment')?.message, /1\.1/, 'the closest tag is suggested');

  // Several more intervals: the same failure is not re-emitted.
  await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 2));
  t.equal((await auditEvents(c)).length, 2, 'deduplicated: still two Events');

  // The fix: the tag is pushed again; the Deployment's series goes, the CronJob's stays.
  await pushImage(c.reg, { repository: 'shop/web', tags: ['1.0'], format: 'oci-manifest', salt: '1.0' });
  await until(
    'the series is removed',
    async () => unavailableSeries(await server.metrics()).length === 1,
    INTERVAL_MS * 3,
  );
  t.match(unavailableSeries(await server.metrics())[0], /kind="CronJob"/);
  t.match(await server.metrics(), /pullguard_audit_last_run_timestamp_seconds \d{10}/);
  t.match(await server.metrics(), /pullguard_audit_leader 1/);
});

t.test('two replicas elect one auditor; the other takes over when the leader shuts down', async (t) => {
  const c = await cluster(t);
  const a = await replica(t, c, 'pullguard-a');
  const b = await replica(t, c, 'pullguard-b');
  await until('one leads', async () => (await leading(a)) || (await leading(b)));
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const [aLeads, bLeads] = [await leading(a), await leading(b)];
  t.ok(aLeads !== bLeads, 'exactly one leads');
  const [leader, follower] = aLeads ? [a, b] : [b, a];
  t.match(await follower.metrics(), /pullguard_audit_leader 0/);
  await deleteImage(c.reg, 'tools/report', c.digests.report as string);
  await until(
    'the leader reports',
    async () => unavailableSeries(await leader.metrics()).length === 1,
    INTERVAL_MS * 3,
  );
  t.same(unavailableSeries(await follower.metrics()), [], 'the follower exports nothing');

  await leader.shutdown();
  await until('the follower takes over', () => leading(follower), 5_000);
  await until('and reports', async () => unavailableSeries(await follower.metrics()).length === 1, INTERVAL_MS * 3);
  t.equal((await auditEvents(c)).length, 1, 'the new leader does not emit the same Event again');
});

t.test('a Lease taken away stops the audit: no series, no more registry requests', async (t) => {
  const c = await cluster(t);
  const server = await replica(t, c, 'pullguard-0');
  await deleteImage(c.reg, 'tools/report', c.digests.report as string);
  await until('reported', async () => unavailableSeries(await server.metrics()).length === 1, INTERVAL_MS * 3);
  c.api.add('coordination.k8s.io/leases', {
    metadata: { name: 'pullguard-audit', namespace: 'pullguard' },
    spec: {
      holderIdentity: 'intruder',
      leaseDurationSeconds: 600,
      acquireTime: new Date().toISOString(),
      renewTime: new Date().toISOString(),
    },
  });
  await until('no longer leading', async () => !(await leading(server)), 5_000);
  await until('the series is withdrawn', async () => unavailableSeries(await server.metrics()).length === 0, 3_000);
  t.match(await server.metrics(), /pullguard_audit_leader 0/);
  const before = await c.reg.manifestRequests();
  await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 2));
  t.equal(await c.reg.manifestRequests(), before, 'no registry request after the Lease was lost');
});

t.test('the audit keeps its pace per registry, counted at the registry', async (t) => {
  const c = await cluster(t);
  const tags = ['a', 'b', 'c', 'd', 'e', 'f'];
  for (const tag of tags) {
    await pushImage(c.reg, { repository: 'team/paced', tags: [tag], format: 'oci-manifest', salt: tag });
    c.api.add('apps/deployments', {
      metadata: { name: `paced-${tag}`, namespace: 'shop' },
      spec: {
        replicas: 0,
        template: { spec: { containers: [{ name: 'app', image: `${c.reg.host}/team/paced:${tag}` }] } },
      },
    });
  }
  const pushed = (await c.reg.accessLog()).length;
  // A one-second interval makes every check due at once: only the pace spreads the requests.
  const server = await replica(t, c, 'pullguard-0', {
    interval: '1s',
    requestsPerSecondPerRegistry: 2,
    concurrency: 8,
  });
  await until('the pass', async () => /pullguard_audit_images\{outcome="available"\} 8/.test(await server.metrics()));
  const seen = (await c.reg.accessLog()).slice(pushed).filter((e) => e.uri.startsWith('/v2/team/paced/manifests/'));
  t.ok(seen.length >= 6, `six distinct tags asked (${seen.length})`);
  const first = seen.slice(0, 6);
  const span = Math.max(...first.map((e) => e.atSeconds)) - Math.min(...first.map((e) => e.atSeconds));
  t.ok(span >= 2, `the first six requests spread over ${span} s at 2 per second`);
});
