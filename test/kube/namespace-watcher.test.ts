/** The namespace watcher: pullguard.io/mode labels known locally, changes seen at once, failures retried. */
import { KubeConfig } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import { startNamespaceWatcher } from '../../src/kube/namespace-watcher.js';
import { startFakeKubeApi, type FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';

async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}

const ns = (name: string, mode?: string) => ({
  metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...(mode ? { 'pullguard.io/mode': mode } : {}) } },
});

async function setUp(t: Test, configure: (api: FakeKubeApi) => void = () => {}) {
  const api = await startFakeKubeApi();
  configure(api);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  const warnings: string[] = [];
  const watcher = startNamespaceWatcher({
    kubeConfig,
    backoff: { initialMs: 20, maxMs: 100 },
    log: { warn: (_d, message) => void warnings.push(message), info: () => {} },
  });
  t.teardown(async () => {
    await watcher.stop();
    await api.close();
  });
  return { api, watcher, warnings };
}

t.test('labels from the list, then changes from the watch', async (t) => {
  const { api, watcher } = await setUp(t, (api) => {
    api.addNamespace(ns('legacy', 'warn'));
    api.addNamespace(ns('sandbox', 'off'));
    api.addNamespace(ns('strict', 'enforce'));
    api.addNamespace(ns('plain'));
    api.addNamespace(ns('odd', 'WARN'));
  });
  t.equal(watcher.known('legacy'), undefined, 'nothing is known before the first list');
  t.ok(await eventually(() => watcher.synced()));
  t.same(
    ['legacy', 'sandbox', 'strict', 'plain', 'odd'].map((name) => watcher.known(name)),
    [{ mode: 'warn' }, { mode: 'off' }, { mode: 'enforce' }, { mode: undefined }, { mode: undefined }],
  );
  t.equal(
    watcher.known('brand-new'),
    undefined,
    'a namespace the watch has not seen is not known (the caller reads it)',
  );
  api.addNamespace(ns('plain', 'warn'));
  api.addNamespace(ns('brand-new', 'off'));
  t.ok(await eventually(() => watcher.known('plain')?.mode === 'warn'), 'a relabelled namespace takes effect at once');
  t.ok(await eventually(() => watcher.known('brand-new')?.mode === 'off'), 'a new namespace is seen');
  t.ok(
    api.requests().some((r) => r.path === '/api/v1/namespaces' && r.query.includes('watch=true')),
    'watched, not polled',
  );
});

t.test('a refused list (RBAC without list/watch) is retried; the watcher knows nothing meanwhile', async (t) => {
  const { watcher, warnings } = await setUp(t, (api) => {
    api.addNamespace(ns('legacy', 'warn'));
    api.fault(/^\/api\/v1\/namespaces$/, { status: 403, times: 2 });
  });
  t.ok(await eventually(() => warnings.length >= 1));
  t.equal(watcher.known('legacy'), undefined);
  t.ok(await eventually(() => watcher.synced()), 'synced once the list is allowed');
  t.same(watcher.known('legacy'), { mode: 'warn' });
  t.ok(warnings.every((w) => w === 'namespace watch failed; retrying'));
});

t.test('stop() ends the watch and is idempotent', async (t) => {
  const { watcher } = await setUp(t, (api) => api.addNamespace(ns('legacy', 'warn')));
  t.ok(await eventually(() => watcher.synced()));
  await watcher.stop();
  await watcher.stop();
  t.same(watcher.known('legacy'), { mode: 'warn' }, 'the last known labels stay readable');
});
