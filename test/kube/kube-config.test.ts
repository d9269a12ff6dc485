import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { KubeAccessError, loadKubeAccess } from '../../src/kube/kube-config.js';

const PLANTED_TOKEN = 'planted-kube-token-0c1d';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pullguard-kubeconfig-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function kubeconfig(file: string, server: string): string {
  const full = path.join(dir, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(
    full,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server } }],
      users: [{ name: 'u', user: { token: PLANTED_TOKEN } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
  return full;
}

const emptyHome = path.join(dir, 'empty-home');

t.test('mode false never loads anything', async (t) => {
  const file = kubeconfig('explicit.yaml', 'https://explicit.example:6443');
  t.equal(loadKubeAccess({ mode: false, kubeconfigPath: file, env: {}, homeDir: emptyHome }), undefined);
});

t.test('auto without any config means no Kubernetes access; true is an error', async (t) => {
  t.equal(loadKubeAccess({ mode: 'auto', env: {}, homeDir: emptyHome }), undefined);
  const error = t.throws(() => loadKubeAccess({ mode: true, env: {}, homeDir: emptyHome }));
  t.ok(error instanceof KubeAccessError);
  t.match(error, { code: 'PG_KUBE_CONFIG_MISSING', message: /credentials.kubernetes is true/ });
});

t.test('lookup order: explicit path, in-cluster, KUBECONFIG, ~/.kube/config', async (t) => {
  const explicit = kubeconfig('explicit.yaml', 'https://explicit.example:6443');
  const fromEnv = kubeconfig('env.yaml', 'https://env.example:6443');
  const home = path.join(dir, 'home');
  kubeconfig('home/.kube/config', 'https://home.example:6443');
  const saDir = path.join(dir, 'sa');
  mkdirSync(saDir, { recursive: true });
  writeFileSync(path.join(saDir, 'token'), PLANTED_TOKEN);
  const inClusterEnv = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };

  const load = (extra: Partial<Parameters<typeof loadKubeAccess>[0]>) =>
    loadKubeAccess({ mode: 'auto', env: {}, homeDir: home, serviceAccountDir: saDir, ...extra });
  t.match(load({ kubeconfigPath: explicit, env: inClusterEnv }), {
    source: explicit,
    server: 'https://explicit.example:6443',
  });
  t.match(load({ env: { ...inClusterEnv, KUBECONFIG: fromEnv } }), {
    source: 'in-cluster',
    server: 'https://10.0.0.1:443',
  });
  t.match(load({ env: { KUBECONFIG: `${path.join(dir, 'missing.yaml')}${path.delimiter}${fromEnv}` } }), {
    source: fromEnv,
  });
  t.match(load({}), { source: path.join(home, '.kube', 'config'), server: 'https://home.example:6443' });
  t.match(load({ env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '6443' } }), {
    server: 'https://[fd00::1]:6443',
  });
  t.match(
    load({ env: inClusterEnv, serviceAccountDir: path.join(dir, 'no-token') }),
    { source: path.join(home, '.kube', 'config') },
    'in-cluster env without a mounted token falls through',
  );
});

t.test('unusable files are start-up errors that never quote the file', async (t) => {
  const missing = path.join(dir, 'nope.yaml');
  t.throws(() => loadKubeAccess({ mode: 'auto', kubeconfigPath: missing, env: {}, homeDir: emptyHome }), {
    code: 'PG_KUBE_CONFIG_MISSING',
  });
  const broken = path.join(dir, 'broken.yaml');
  writeFileSync(broken, `users:\n- name: u\n  user: {token: "${PLANTED_TOKEN}"\n  : : :\n`);
  const error = t.throws(() => loadKubeAccess({ mode: 'auto', kubeconfigPath: broken, env: {}, homeDir: emptyHome }));
  t.match(error, { code: 'PG_KUBE_CONFIG_INVALID', message: /broken.yaml is not valid YAML/ });
  t.notMatch(String((error as Error).message), PLANTED_TOKEN);
  const noContext = path.join(dir, 'no-context.yaml');
  writeFileSync(noContext, JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] }));
  t.throws(() => loadKubeAccess({ mode: true, kubeconfigPath: noContext, env: {}, homeDir: emptyHome }), {
    code: 'PG_KUBE_CONFIG_INVALID',
    message: /no current context/,
  });
});

function twoContexts(file: string): string {
  const full = path.join(dir, file);
  writeFileSync(
    full,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'prod', cluster: { server: 'https://prod.example:6443' } },
        { name: 'dev', cluster: { server: 'https://dev.example:6443' } },
      ],
      users: [{ name: 'u', user: { token: PLANTED_TOKEN } }],
      contexts: [
        { name: 'prod', context: { cluster: 'prod', user: 'u', namespace: 'shop' } },
        { name: 'dev', context: { cluster: 'dev', user: 'u' } },
      ],
      'current-context': 'prod',
    }),
  );
  return full;
}

t.test('--context picks another context of the kubeconfig, and its namespace', async (t) => {
  const file = twoContexts('contexts.yaml');
  const load = (extra: Partial<Parameters<typeof loadKubeAccess>[0]>) =>
    loadKubeAccess({ mode: true, kubeconfigPath: file, env: {}, homeDir: emptyHome, ...extra });
  t.match(load({}), { server: 'https://prod.example:6443', namespace: 'shop' }, "the current context's namespace");
  const dev = load({ context: 'dev' });
  t.match(dev, { server: 'https://dev.example:6443', namespace: 'default' }, 'no namespace in the context: default');
  t.equal(dev?.kubeConfig.getCurrentContext(), 'dev');
  t.match(load({ context: 'prod' }), { server: 'https://prod.example:6443', namespace: 'shop' });
  const error = t.throws(() => load({ context: 'staging' }));
  t.ok(error instanceof KubeAccessError);
  t.match(error, { code: 'PG_KUBE_CONFIG_INVALID', message: /has no context "staging"/ });
  t.notMatch(String((error as Error).message), PLANTED_TOKEN);
  t.match(
    loadKubeAccess({ mode: 'auto', env: { KUBECONFIG: file }, homeDir: emptyHome, context: 'dev' }),
    { source: file, server: 'https://dev.example:6443' },
    'found through KUBECONFIG too',
  );
  t.throws(
    () => loadKubeAccess({ mode: 'auto', env: {}, homeDir: emptyHome, context: 'dev' }),
    { code: 'PG_KUBE_CONFIG_MISSING', message: /context "dev" was asked for/ },
    'a context with no kubeconfig to find it in is an error, even in auto mode',
  );
});

t.test("in-cluster: the pod's namespace file, else default; --context skips in-cluster", async (t) => {
  const saDir = path.join(dir, 'sa-ns');
  mkdirSync(saDir, { recursive: true });
  writeFileSync(path.join(saDir, 'token'), PLANTED_TOKEN);
  const env = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };
  const load = (extra: Partial<Parameters<typeof loadKubeAccess>[0]> = {}) =>
    loadKubeAccess({ mode: 'auto', env, homeDir: emptyHome, serviceAccountDir: saDir, ...extra });
  t.match(load(), { source: 'in-cluster', namespace: 'default' }, 'no namespace file');
  writeFileSync(path.join(saDir, 'namespace'), 'pullguard\n');
  t.match(load(), { source: 'in-cluster', namespace: 'pullguard' });
  writeFileSync(path.join(saDir, 'namespace'), 'Not/A Namespace');
  t.match(load(), { namespace: 'default' }, 'a file that does not hold a namespace name');
  const file = twoContexts('in-cluster-contexts.yaml');
  t.match(load({ context: 'dev', env: { ...env, KUBECONFIG: file } }), { source: file, namespace: 'default' });
});
