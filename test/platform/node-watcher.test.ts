import { KubeConfig } from '@kubernetes/client-node';
import t from 'tap';
import { startNodeWatcher, type NodeWatcher } from '../../src/kube/node-watcher.js';
import { formatPlatform } from '../../src/platform/platform.js';
import { startFakeNodesApi, type FakeNodesApi } from './fake-nodes-api.js';

function kubeConfigFor(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server, skipTLSVerify: true }],
    users: [{ name: 'tester' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'tester' }],
    currentContext: 'fake',
  });
  return kc;
}

/** Polls `condition` every 10 ms, up to `timeoutMs`. */
async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}

const summary = (watcher: NodeWatcher): string[] =>
  watcher
    .nodes()
    .map((n) => `${n.name}=${formatPlatform(n.platform)}`)
    .sort();

async function setUp(t: Tap.Test, api: FakeNodesApi, warnings: string[] = []): Promise<NodeWatcher> {
  const watcher = startNodeWatcher({
    kubeConfig: kubeConfigFor(api.url),
    backoff: { initialMs: 20, maxMs: 100 },
    log: { warn: (_details, message) => void warnings.push(message), info: () => {} },
  });
  t.teardown(async () => {
    await watcher.stop();
    await api.close();
  });
  return watcher;
}

t.test('initial list, node added, node removed', async (t) => {
  const api = await startFakeNodesApi([
    { name: 'amd-1', arch: 'amd64' },
    { name: 'arm-1', arch: 'arm64', taints: [{ key: 'arch', value: 'arm64', effect: 'NoSchedule' }] },
  ]);
  const watcher = await setUp(t, api);
  t.notOk(watcher.synced(), 'not synced before the first list');

  t.ok(await eventually(() => watcher.synced()), 'synced after the list');
  t.same(summary(watcher), ['amd-1=linux/amd64', 'arm-1=linux/arm64']);
  t.same(watcher.nodes().find((n) => n.name === 'arm-1')?.taints, [{ key: 'arch', value: 'arm64', effect: 'NoSchedule' }]);
  t.ok(await eventually(() => api.requests().some((r) => r.includes('watch=true'))), 'watching');

  api.addNode({ name: 'pi', arch: 'arm' });
  t.ok(await eventually(() => summary(watcher).includes('pi=linux/arm/v7')), 'added node appears');

  api.removeNode('amd-1');
  t.ok(await eventually(() => !summary(watcher).some((s) => s.startsWith('amd-1='))), 'removed node disappears');
  t.same(summary(watcher), ['arm-1=linux/arm64', 'pi=linux/arm/v7']);
});

t.test('a failed list is retried after a backoff', async (t) => {
  const api = await startFakeNodesApi([{ name: 'amd-1', arch: 'amd64' }]);
  api.failLists(2, 500);
  const warnings: string[] = [];
  const watcher = await setUp(t, api, warnings);
  t.ok(await eventually(() => watcher.synced()), 'synced after the retries');
  t.same(summary(watcher), ['amd-1=linux/amd64']);
  t.equal(api.requests().filter((r) => r === 'GET /api/v1/nodes').length, 3, 'two failures, then success');
  t.same(warnings, ['node watch failed; retrying', 'node watch failed; retrying']);
});

t.test('a closed watch is reopened and keeps receiving events', async (t) => {
  const api = await startFakeNodesApi([{ name: 'amd-1', arch: 'amd64' }]);
  const watcher = await setUp(t, api);
  t.ok(await eventually(() => api.requests().some((r) => r.includes('watch=true'))));
  api.closeWatches();
  t.ok(await eventually(() => api.requests().filter((r) => r.includes('watch=true')).length >= 2, 5_000), 'rewatched');
  api.addNode({ name: 'arm-1', arch: 'arm64' });
  t.ok(await eventually(() => summary(watcher).includes('arm-1=linux/arm64')), 'events after the reconnect');
});

t.test('stop() ends the watch and leaves no timers or sockets', async (t) => {
  const api = await startFakeNodesApi([{ name: 'amd-1', arch: 'amd64' }]);
  const watcher = startNodeWatcher({ kubeConfig: kubeConfigFor(api.url), backoff: { initialMs: 20, maxMs: 100 } });
  t.ok(await eventually(() => api.requests().some((r) => r.includes('watch=true'))));
  await watcher.stop();
  await watcher.stop(); // idempotent
  const before = api.requests().length;
  await api.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.equal(api.requests().length, before, 'no request after stop');
  t.same(watcher.nodes().map((n) => n.name), ['amd-1'], 'the last nodes stay readable');
});

t.test('an unreachable API server is retried without throwing', async (t) => {
  const api = await startFakeNodesApi();
  const url = api.url;
  await api.close();
  const warnings: string[] = [];
  const watcher = startNodeWatcher({
    kubeConfig: kubeConfigFor(url),
    backoff: { initialMs: 10, maxMs: 20 },
    log: { warn: (_details, message) => void warnings.push(message), info: () => {} },
  });
  t.teardown(() => watcher.stop());
  t.ok(await eventually(() => warnings.length >= 3), 'keeps retrying');
  t.notOk(watcher.synced());
  t.same(watcher.nodes(), []);
});
