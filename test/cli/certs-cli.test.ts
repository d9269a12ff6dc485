/**
 * `pullguard certs --secret` through its command line (src/cli/certs-cli.ts), as the Helm chart's hook Jobs run it:
 * the flags parsed, the cluster reached through `--kubeconfig` (or KUBECONFIG), the usage errors of combined flags.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { certsCli } from '../../src/cli/certs-cli.js';
import { startFakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';

const api = await startFakeKubeApi();
t.teardown(() => api.close());
const dir = await mkdtemp(join(tmpdir(), 'pullguard-certs-cli-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));

async function certs(argv: string[], env: Record<string, string> = {}) {
  const lines: string[] = [];
  const code = await certsCli(argv, { stdout: (line) => lines.push(line), env, homeDir: dir, cwd: dir });
  return { code, lines };
}

const JOB = ['--secret', 'release-tls', '--namespace', 'guard', '--service', 'release', '--days', '3650'];

t.test('the pre-install and post-install Jobs: the Secret, then the webhook configuration', async (t) => {
  api.add('admissionregistration.k8s.io/validatingwebhookconfigurations', {
    metadata: { name: 'release' },
    webhooks: [{ name: 'a.pullguard.io', clientConfig: { service: { name: 'release', namespace: 'guard' } } }],
  });
  const pre = await certs([...JOB, '--san', 'extra.example.com,10.1.2.3', '--kubeconfig', api.kubeconfigPath]);
  t.equal(pre.code, 0);
  t.equal(pre.lines[0], 'Created Secret guard/release-tls (kubernetes.io/tls: tls.crt, tls.key, ca.crt)');
  t.match(pre.lines[1], /^Serving certificate for release\.guard\.svc, valid until 20(3[5-9]|4\d)-/);
  t.equal(
    pre.lines[2],
    'SANs: release, release.guard, release.guard.svc, release.guard.svc.cluster.local, extra.example.com, 10.1.2.3',
  );
  t.equal(api.requests().filter((r) => r.method === 'PATCH').length, 0, 'no patch without --patch-webhook');
  // The post-install Job, with KUBECONFIG instead of the flag.
  const post = await certs([...JOB, '--san', 'extra.example.com', '--san', '10.1.2.3', '--patch-webhook', 'release'], {
    KUBECONFIG: api.kubeconfigPath,
  });
  t.equal(post.code, 0);
  t.equal(post.lines[0], 'Kept Secret guard/release-tls: its certificates are valid and name every SAN wanted');
  t.equal(post.lines.at(-1), pre.lines.at(-1), 'the same caBundle');
  t.equal(post.lines.at(-3), 'Patched ValidatingWebhookConfiguration release: caBundle set on 1 webhook');
  t.equal(api.requests().filter((r) => r.method === 'PATCH').length, 1);
});

t.test('usage errors: exit code 2, one line, before any request', async (t) => {
  const before = api.requests().length;
  const usage = async (argv: string[], message: RegExp) =>
    t.rejects(certs([...argv, '--kubeconfig', api.kubeconfigPath]), { code: 'PG_USAGE', exitCode: 2, message });
  await usage(
    ['--secret', 's', '--out', 'certs'],
    /^certs: --secret stores the certificates in the cluster; it cannot be combined with --out or --manifests$/,
  );
  await usage(['--secret', 's', '--manifests'], /cannot be combined with --out or --manifests/);
  await usage(['--patch-webhook', 'w'], /^certs: --patch-webhook needs --secret NAME$/);
  await usage(['--secret', 'Not_A_Name'], /^certs: --secret "Not_A_Name" is not a Kubernetes object name/);
  await usage(['--secret', 'tls..pullguard'], /^certs: --secret "tls\.\.pullguard" is not a Kubernetes object name/);
  await usage(['--secret', 'x'.repeat(254)], /is not a Kubernetes object name/);
  await usage(
    ['--secret', 's', '--patch-webhook', 'web_hook'],
    /^certs: --patch-webhook "web_hook" is not a Kubernetes object name/,
  );
  await usage(['--secret', 's', '--days', 'ten'], /--days must be a whole number/);
  await t.rejects(certs(['--secret']), { code: 'PG_USAGE', exitCode: 2 });
  await t.rejects(certs(['--kubeconfig', 'x']), { code: 'PG_USAGE', message: /--kubeconfig needs --secret NAME/ });
  t.equal(api.requests().length, before);
});

t.test('no cluster to reach: one line saying how to point at one', async (t) => {
  await t.rejects(certs(['--secret', 's']), {
    code: 'PG_KUBE_CONFIG_MISSING',
    message: /give --kubeconfig FILE or set KUBECONFIG/,
  });
});
