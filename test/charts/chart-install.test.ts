/**
 * The chart's default install, played through as a cluster would run it: the rendered ValidatingWebhookConfiguration
 * registered with the (fake) API, the two certificate hook Jobs run at once with the BUILT CLI and the args the chart
 * gives them (as `kubectl apply` of the render would, with no hook order), then the built `pullguard serve` started
 * with the ConfigMap's config and the Secret the Jobs wrote, and called the way the API server calls the webhook the
 * chart registered: the Service name and path from its clientConfig, trusting only its patched caBundle.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import t from 'tap';
import { parse } from 'yaml';
import { createKubeRequest } from '../../src/kube/kube-request.js';
import { admissionReview } from '../helpers/admission-review.js';
import { answerView, apiServerProblems } from '../helpers/api-server-checks.js';
import { ensureFreshBuild, MAIN, NODE, startBuiltServer } from '../helpers/built-server.js';
import { startFakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { at, type K8sObject } from '../manifests/render-manifests.js';
import { render } from './render-chart.js';

const run = promisify(execFile);
const WEBHOOKS = 'admissionregistration.k8s.io/validatingwebhookconfigurations';

const ofKind = (objects: readonly K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const only = (objects: readonly K8sObject[], kind: string): K8sObject => {
  const found = ofKind(objects, kind);
  if (found.length !== 1) throw new Error(`want one ${kind}, rendered ${found.length}`);
  return found[0] as K8sObject;
};

t.test('a release "guard" in namespace "ops": certificates by the hook Jobs, then the webhook answers', async (t) => {
  await ensureFreshBuild();
  const objects = await render('guard', 'ops');
  const registration = only(objects, 'ValidatingWebhookConfiguration') as K8sObject & {
    webhooks: { clientConfig: { service: { name: string; namespace: string; path: string } } }[];
  };
  const jobs = ofKind(objects, 'Job');
  t.equal(jobs.length, 2, 'two certificate Jobs');

  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  api.add(WEBHOOKS, registration);
  const home = await mkdtemp(join(tmpdir(), 'pullguard-chart-install-'));
  t.teardown(() => rm(home, { recursive: true, force: true }));

  // Both Jobs at once, each as its container would run: the image's ENTRYPOINT (node dist/main.js) with the args.
  const outputs = await Promise.all(
    jobs.map(async (job) => {
      const container = at(job, ['spec', 'template', 'spec', 'containers', 0]) as Record<string, unknown> | undefined;
      t.equal(container?.['command'], undefined, `${job.metadata.name}: the image's entrypoint runs`);
      const args = container?.['args'] as string[];
      const { stdout } = await run(NODE, [MAIN, ...args], {
        env: { PATH: process.env['PATH'] ?? '', HOME: home, KUBECONFIG: api.kubeconfigPath },
        timeout: 90_000,
      });
      return stdout.trim().split('\n');
    }),
  );
  const bundles = new Set(outputs.map((lines) => lines.at(-1)));
  t.equal(bundles.size, 1, 'both Jobs end on the same caBundle');

  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  const request = createKubeRequest(kubeConfig, 5_000);
  const deployment = only(objects, 'Deployment') as K8sObject & {
    spec: { template: { spec: { volumes: { secret?: { secretName: string } }[] } } };
  };
  const secretName = deployment.spec.template.spec.volumes.find((v) => v.secret)?.secret?.secretName;
  t.equal(secretName, 'guard-pullguard-tls', 'the Deployment mounts the Secret the Jobs write');
  const secret = await request('GET', `/api/v1/namespaces/ops/secrets/${secretName}`);
  const stored = await request(
    'GET',
    `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${registration.metadata.name}`,
  );
  if (secret.status !== 'ok' || stored.status !== 'ok') throw new Error('the Jobs left no Secret or configuration');
  const data = secret.value['data'] as Record<string, string>;
  const webhooks = stored.value['webhooks'] as { clientConfig: { caBundle?: string } }[];
  t.ok(
    webhooks.every((w) => w.clientConfig.caBundle === data['ca.crt']),
    "every webhook's caBundle is the Secret's ca.crt",
  );

  const dir = await mkdtemp(join(tmpdir(), 'pullguard-chart-tls-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  await writeFile(certFile, Buffer.from(data['tls.crt'] ?? '', 'base64'));
  await writeFile(keyFile, Buffer.from(data['tls.key'] ?? '', 'base64'), { mode: 0o600 });
  // The chart's config as is, but for the paths and ports of the pod (a test process serves on loopback).
  const chartConfig = parse(String(at(only(objects, 'ConfigMap'), ['data', 'config.yaml']))) as Record<string, unknown>;
  const { tls: _tls, listen: _listen, ...config } = chartConfig;
  const server = await startBuiltServer({
    config,
    tls: { certFile, keyFile, ca: Buffer.from(webhooks[0]?.clientConfig.caBundle ?? '', 'base64') },
  });
  t.teardown(() => server.stop());

  const service = registration.webhooks[0]?.clientConfig.service;
  t.same(service && [service.name, service.namespace], ['guard-pullguard', 'ops'], 'the release Service');
  const review = admissionReview({
    kind: { group: '', version: 'v1', kind: 'Pod' },
    object: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { containers: [{ name: 'app', image: 'Shop/Web:1.0' }] },
    },
  });
  const answer = await server.post(JSON.stringify(review), {
    servername: `${service?.name}.${service?.namespace}.svc`,
    path: service?.path ?? '',
  });
  t.same(apiServerProblems(answer, String(review.request['uid'])), [], 'the API server accepts the answer');
  const view = answerView(answer.body);
  t.equal(view.allowed, true, "the chart's first rollout is in warn mode");
  t.match(view.warnings.join('\n'), /^would deny: container "app"/m, 'the invalid reference, as a warning');
});
