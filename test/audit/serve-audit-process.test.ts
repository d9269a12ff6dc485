/**
 * The continuous audit in the BUILT `pullguard serve` process, with the Lease timings an install has: a
 * scaled-to-zero Deployment and a CronJob whose tags were deleted after admission get an `ImageUnavailable` Event;
 * without the RBAC the audit needs, it stays off with one log line and the webhook serves anyway.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import { startBuiltServer, waitForLines, type BuiltServer } from '../helpers/built-server.js';
import { startFakeKubeApi, type FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { deleteImage, pushImage, startRegistry, type RegistryHandle } from '../harness/registry/index.js';

async function setUp(t: Test): Promise<{ reg: RegistryHandle; api: FakeKubeApi; kubeConfig: KubeConfig }> {
  const reg = await startRegistry({ mode: 'plain' });
  t.teardown(() => reg.stop());
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  api.addNamespace({ metadata: { name: 'shop' } });
  api.addServiceAccount({ metadata: { name: 'default', namespace: 'shop' } });
  return { reg, api, kubeConfig };
}

async function serve(t: Test, reg: RegistryHandle, api: FakeKubeApi): Promise<BuiltServer> {
  const server = await startBuiltServer({
    config: {
      registries: [{ host: reg.host, plainHttp: true }],
      credentials: { kubernetes: true },
      audit: { interval: '2s' },
    },
    env: { KUBECONFIG: api.kubeconfigPath, POD_NAME: 'pullguard-0', POD_NAMESPACE: 'pullguard' },
  });
  t.teardown(() => server.stop());
  return server;
}

const logged = (lines: readonly string[], message: string): Record<string, unknown>[] =>
  lines
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return {};
      }
    })
    .filter((entry) => typeof entry['msg'] === 'string' && (entry['msg'] as string).startsWith(message));

t.test(
  'serve emits ImageUnavailable for a scaled-to-zero Deployment and a CronJob whose tags were deleted',
  async (t) => {
    const { reg, api, kubeConfig } = await setUp(t);
    const web = await pushImage(reg, { repository: 'shop/web', tags: ['1.0'], format: 'oci-manifest' });
    const report = await pushImage(reg, { repository: 'tools/report', tags: ['2.0'], format: 'oci-manifest' });
    api.add('apps/deployments', {
      metadata: { name: 'web', namespace: 'shop', uid: 'uid-web' },
      spec: { replicas: 0, template: { spec: { containers: [{ name: 'app', image: `${reg.host}/shop/web:1.0` }] } } },
    });
    api.add('batch/cronjobs', {
      metadata: { name: 'nightly', namespace: 'shop', uid: 'uid-nightly' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: {
          spec: { template: { spec: { containers: [{ name: 'report', image: `${reg.host}/tools/report:2.0` }] } } },
        },
      },
    });
    await deleteImage(reg, 'shop/web', web.digest);
    await deleteImage(reg, 'tools/report', report.digest);

    const server = await serve(t, reg, api);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const events = async () =>
      (await core.listNamespacedEvent({ namespace: 'shop' })).items.filter((e) => e.reason === 'ImageUnavailable');
    const deadline = Date.now() + 20_000;
    while ((await events()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const found = await events();
    t.same(found.map((e) => [e.type, e.involvedObject.kind, e.involvedObject.name, e.involvedObject.uid]).sort(), [
      ['Warning', 'CronJob', 'nightly', 'uid-nightly'],
      ['Warning', 'Deployment', 'web', 'uid-web'],
    ]);
    t.ok(
      found.every((e) => /does not exist/.test(e.message ?? '')),
      'the finding message',
    );
    t.same(
      found.map((e) => e.reportingComponent),
      ['pullguard-audit', 'pullguard-audit'],
    );
    const metrics = (await server.health('/metrics')).body;
    t.match(
      metrics,
      /pullguard_audit_image_unavailable\{namespace="shop",kind="Deployment",name="web",container="app",class="notFound"\} 1/,
    );
    t.match(metrics, /pullguard_audit_leader 1/);
    t.equal(logged(server.stdout, 'audit: leading').length, 1, 'one leading line');
  },
);

t.test('without the audit RBAC: one log line, audit off, the webhook serves', async (t) => {
  const { reg, api } = await setUp(t);
  api.deny({ verb: 'watch', group: 'apps', resource: 'deployments' });
  api.deny({ verb: 'create', group: 'coordination.k8s.io', resource: 'leases' });
  const server = await serve(t, reg, api);
  await waitForLines(server.stdout, (lines) => logged(lines, 'audit off').length > 0, 15_000);
  const [line] = logged(server.stdout, 'audit off');
  t.match(
    line?.['msg'],
    /^audit off: the service account may not watch deployments\.apps, create leases\.coordination\.k8s\.io in pullguard; grant the pullguard-audit roles in manifests\/base\/rbac\.yaml$/,
  );
  t.equal(line?.['level'], 40, 'a warning');
  t.equal((await server.health('/readyz')).statusCode, 200, 'the webhook is ready');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  t.equal(logged(server.stdout, 'audit').length, 1, 'no other audit line');
  t.notOk(
    api.requests().some((r) => r.path.includes('/leases')),
    'no Lease request',
  );
  t.notOk(
    api.requests().some((r) => r.query.includes('watch=true') && r.path.includes('deployments')),
    'no watch',
  );
});
