/**
 * The built `pullguard certs --secret` as the Helm chart's two hook Jobs run it, here as two processes started at
 * once (as `helm template | kubectl apply -f -` starts them), against the fake Kubernetes API: they converge on one
 * Secret and one caBundle; failures are one line on stderr with the catalogue's exit code.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdmissionregistrationV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import t from 'tap';
import { startFakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { ensureFreshBuild, MAIN, NODE } from '../helpers/built-server.js';

t.before(ensureFreshBuild);
const dir = await mkdtemp(join(tmpdir(), 'pullguard-certs-e2e-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function pullguard(args: readonly string[], kubeconfig: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      NODE,
      [MAIN, 'certs', ...args],
      { cwd: dir, timeout: 60_000, env: { PATH: process.env['PATH'] ?? '', HOME: dir, KUBECONFIG: kubeconfig } },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: unknown }).code as number | null) : 0, stdout, stderr });
      },
    );
  });
}

const JOB = ['--secret', 'pullguard-tls', '--namespace', 'pullguard', '--service', 'pullguard', '--days', '3650'];

t.test('both hook Jobs at once, the webhook configuration applied a moment later: they converge', async (t) => {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  const timer = setTimeout(
    () =>
      api.add('admissionregistration.k8s.io/validatingwebhookconfigurations', {
        metadata: { name: 'pullguard' },
        webhooks: [
          { name: 'images.pullguard.io', clientConfig: { service: { name: 'pullguard', namespace: 'pullguard' } } },
        ],
      }),
    1_500,
  );
  t.teardown(() => clearTimeout(timer));
  const [pre, post] = await Promise.all([
    pullguard(JOB, api.kubeconfigPath),
    pullguard([...JOB, '--patch-webhook', 'pullguard'], api.kubeconfigPath),
  ]);
  t.equal(pre.code, 0, pre.stderr);
  t.equal(post.code, 0, post.stderr);
  const last = (run: Run) => run.stdout.trimEnd().split('\n').at(-1);
  t.equal(last(pre), last(post), 'one caBundle');
  t.match(post.stdout, /Patched ValidatingWebhookConfiguration pullguard: caBundle set on 1 webhook\n/);
  t.notMatch(pre.stdout + post.stdout, /PRIVATE KEY/);
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  const secret = await kc
    .makeApiClient(CoreV1Api)
    .readNamespacedSecret({ namespace: 'pullguard', name: 'pullguard-tls' });
  t.equal(secret.data?.['ca.crt'], last(pre), 'the caBundle is the stored ca.crt');
  const config = await kc
    .makeApiClient(AdmissionregistrationV1Api)
    .readValidatingWebhookConfiguration({ name: 'pullguard' });
  t.equal(config.webhooks?.[0]?.clientConfig.caBundle, last(pre));
});

t.test('forbidden: one line naming the verb, exit 1; --secret with --out: one line, exit 2', async (t) => {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  api.deny({ verb: 'create', resource: 'secrets' });
  const denied = await pullguard(JOB, api.kubeconfigPath);
  t.equal(denied.code, 1);
  t.equal(
    denied.stderr,
    'pullguard: cannot create Secret pullguard/pullguard-tls: forbidden (HTTP 403): the service account needs the RBAC verb "create" on secrets in the namespace "pullguard"\n',
  );
  const usage = await pullguard([...JOB, '--out', 'certs'], api.kubeconfigPath);
  t.equal(usage.code, 2);
  t.match(usage.stderr, /^pullguard: certs: --secret stores the certificates in the cluster; [^\n]+\n$/);
});
