import t from 'tap';
import type { ContainerFacts } from './container-facts.js';
import { pullSecretSteps, secretNameFor } from './pull-secret-fix.js';
import { targetOf } from './workload-target.js';

t.test('the new secret is named after the registry host, as a valid Secret name', async (t) => {
  t.equal(secretNameFor('docker.io'), 'docker-io-pull');
  t.equal(secretNameFor('Registry.Example:5000'), 'registry-example-5000-pull');
  t.equal(secretNameFor('[::1]:5000'), '1-5000-pull');
  t.equal(secretNameFor('..'), 'registry-pull');
  const long = secretNameFor('a'.repeat(500));
  t.equal(long.length, 205);
  t.match(long, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
});

const c: ContainerFacts = {
  namespace: 'shop',
  pod: 'once-x1',
  owner: { kind: 'Job', name: 'once' },
  container: 'app',
  section: 'containers',
  image: 'ghcr.io/acme/app:1',
  registryHost: 'ghcr.io',
  serviceAccount: 'default',
  podPullSecrets: [],
  serviceAccountPullSecrets: ['ghcr-io-pull', 'other'],
};

t.test('a Job: the secret goes on the service account, once, and the Job is recreated', async (t) => {
  const steps = pullSecretSteps(c, targetOf(c.pod, c.owner));
  t.match(steps, [
    { ok: true, step: { command: /^kubectl create secret docker-registry ghcr-io-pull --docker-server=ghcr\.io / } },
    {
      ok: true,
      step: {
        command: `kubectl patch serviceaccount default -n shop -p '{"imagePullSecrets":[{"name":"other"},{"name":"ghcr-io-pull"}]}'`,
      },
    },
    { ok: true, step: { say: /recreate the pods: job once/ } },
  ]);
});

t.test('an unsafe host stops the secret command with a problem', async (t) => {
  t.match(pullSecretSteps({ ...c, registryHost: 'a\tb' }, targetOf(c.pod, c.owner))[0], {
    ok: false,
    unsafe: { field: 'registry host' },
  });
  t.match(pullSecretSteps({ ...c, rejectedSecret: '-x' }, targetOf(c.pod, c.owner)), [
    { ok: false, unsafe: { field: 'secret name' } },
  ]);
});
