/**
 * The pull-secret fix: create the secret (`kubectl create secret docker-registry`,
 * https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry/) and list it where the
 * kubelet reads it, or replace the one the registry refused. The user name and password stay placeholders to fill in.
 */
import type { ContainerFacts } from './container-facts.js';
import { patchPodSpec, say, type Built } from './fix-step.js';
import { command } from './shell-quote.js';
import type { Target } from './workload-target.js';

const CREDENTIALS = ' --docker-username=<user> --docker-password=<password>';

export function pullSecretSteps(c: ContainerFacts, target: Target): Built[] {
  if (c.rejectedSecret !== undefined) return [replaceSecret(c, c.rejectedSecret)];
  const name = secretNameFor(c.registryHost);
  return [createSecret(c, name), ...listSecret(c, target, name)];
}

/** `docker-io-pull` for docker.io: a valid Secret name (RFC 1123 subdomain) derived from the host. */
export function secretNameFor(host: string): string {
  const base = host
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 200)
    .replace(/^-+|-+$/g, '');
  return `${base === '' ? 'registry' : base}-pull`;
}

function secretCommand(c: ContainerFacts, name: string) {
  return command([
    'kubectl create secret docker-registry ',
    { value: name, field: 'secret name', positional: true },
    ' --docker-server=',
    { value: c.registryHost, field: 'registry host' },
    CREDENTIALS,
    ' -n ',
    { value: c.namespace, field: 'namespace', positional: true },
  ]);
}

function createSecret(c: ContainerFacts, name: string): Built {
  const text = secretCommand(c, name);
  if (!text.ok) return text;
  const why = `create a pull secret for ${c.registryHost} (fill in <user> and <password>)`;
  return { ok: true, step: { say: why, command: text.text } };
}

/** The registry refused this secret: write it again with working credentials, in place (the pods list it already). */
function replaceSecret(c: ContainerFacts, name: string): Built {
  const text = secretCommand(c, name);
  if (!text.ok) return text;
  const why = `the registry refused pull secret ${name}: replace its credentials (fill in <user> and <password>)`;
  return { ok: true, step: { say: why, command: `${text.text} --dry-run=client -o yaml | kubectl apply -f -` } };
}

/** Lists the secret in the workload's pod template, or on the service account when the pod cannot change. */
function listSecret(c: ContainerFacts, target: Target, name: string): Built[] {
  const why = `list ${name} under imagePullSecrets`;
  if (target.kind === 'template') return [patchPodSpec(c, target, { imagePullSecrets: [{ name }] }, why)];
  // A ServiceAccount's imagePullSecrets is replaced whole by a merge patch: keep the names it already lists.
  const known = c.serviceAccountPullSecrets;
  const names = [...(known ?? []).filter((n) => n !== name), name];
  const text = command([
    'kubectl patch serviceaccount ',
    { value: c.serviceAccount, field: 'service account name', positional: true },
    ' -n ',
    { value: c.namespace, field: 'namespace', positional: true },
    ' -p ',
    { value: JSON.stringify({ imagePullSecrets: names.map((n) => ({ name: n })) }), field: 'patch' },
  ]);
  if (!text.ok) return [text];
  const unknown = known === undefined ? ' (add any names it already lists: this replaces the list)' : '';
  const recreate =
    target.kind === 'pod'
      ? `recreate pod ${c.pod}: a Pod reads its service account's pull secrets only when it is created`
      : `recreate the pods: ${target.what}`;
  return [
    { ok: true, step: { say: `list ${name} on service account ${c.serviceAccount}${unknown}`, command: text.text } },
    say(recreate),
  ];
}
