/**
 * What `helm install` prints after installing (templates/NOTES.txt), rendered by the real helm without a cluster
 * (`--dry-run=client`): the names of this release, how to check it for its certificate mode, and an uninstall that
 * removes the webhook configuration before the release.
 */
import t from 'tap';
import { CHART, runHelm } from './render-chart.js';

async function notes(release: string, namespace: string, sets: readonly string[] = []): Promise<string> {
  const out = await runHelm([
    'install',
    release,
    CHART,
    '-n',
    namespace,
    '--dry-run=client',
    ...sets.flatMap((s) => ['--set', s]),
  ]);
  const at = out.indexOf('\nNOTES:\n');
  if (at < 0) throw new Error(`helm printed no NOTES:\n${out.slice(-500)}`);
  return out.slice(at + '\nNOTES:\n'.length);
}

t.test('defaults: the release names, warn mode, the generated certificates, uninstall in order', async (t) => {
  const text = await notes('guard', 'ops');
  t.match(text, 'installed as "guard-pullguard" in the namespace "ops"');
  t.match(text, 'every namespace but kube-system, ops\n');
  t.match(text, 'in mode "warn": would-be denials are warnings');
  t.match(text, 'kubectl -n ops rollout status deployment/guard-pullguard');
  t.match(text, 'kubectl -n ops get secret guard-pullguard-tls');
  const removeWebhook = text.indexOf('kubectl delete validatingwebhookconfiguration guard-pullguard\n');
  const uninstall = text.indexOf('helm uninstall guard -n ops\n');
  t.ok(removeWebhook > 0 && uninstall > removeWebhook, 'the webhook configuration is removed before the release');
  t.match(text, 'kubectl -n ops delete secret guard-pullguard-tls', 'and the Secret Helm does not own');
});

t.test('cert-manager and enforce: no Secret to delete, the Certificate to check', async (t) => {
  const text = await notes('pullguard', 'pullguard', ['certificates.mode=certManager', 'config.mode=enforce']);
  t.match(text, 'in mode "enforce". failurePolicy: Ignore.');
  t.match(text, 'kubectl -n pullguard get certificate pullguard-tls');
  t.notMatch(text, 'delete secret', 'cert-manager owns its Secret');
  t.notMatch(text, 'would-be denials are warnings');
});

t.test('an existing Secret: the notes name it', async (t) => {
  const text = await notes('pullguard', 'pullguard', [
    'certificates.mode=existingSecret',
    'certificates.existingSecret=corp-tls',
  ]);
  t.match(text, 'the Secret corp-tls must exist in pullguard');
});
