import { KubeConfig } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import { startNodeWatcher, type NodeWatcher } from '../../src/kube/node-watcher.js';
import { formatPlatform } from '../../src/platform/platform.js';
import { startFakeKubeApi, type FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';

const LIST = /^\/api\/v1\/nodes$/;
const WATCH = /^\/api\/v1\/nodes\?.*watch=true/;

function nodeObject(name: string, arch: string, taints?: { key: string; value?: string; effect: string }[]): object {
  return {
    metadata: {
      name,
      labels: { 'kubernetes.io/arch': arch, 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': name },
    },
    spec: taints ? { taints } : {},
    status: { nodeInfo: { architecture: arch, operatingSystem: 'linux', kubeletVersion: 'v1.34.0' } },
  };
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
const listCount = (api: FakeKubeApi): number =>
  api.requests().filter((r) => r.path === '/api/v1/nodes' && !r.query.includes('watch')).length;
const watchCount = (api: FakeKubeApi): number =>
  api.requests().filter((r) => r.path === '/api/v1/nodes' && r.query.includes('watch=true')).length;

async function setUp(t: Test, configure: (api: FakeKubeApi) => void = () => {}) {
  const api = await startFakeKubeApi();
  configure(api);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  const warnings: string[] = [];
  let changes = 0;
  const watcher = startNodeWatcher({
    kubeConfig,
    backoff: { initialMs: 20, maxMs: 100 },
    log: { warn: (_details, message) => void warnings.push(message), info: () => {} },
    onChange: () => void changes++,
  });
  t.teardown(async () => {
    await watcher.stop();
    await api.close();
  });
  return { api, watcher, warnings, changes: () => changes };
}

t.test('initial list, node added, node removed', async (t) => {
  const { api, watcher, changes } = await setUp(t, (api) => {
    api.addNode(nodeObject('amd-1', 'amd64'));
    api.addNode(nodeObject('arm-1', 'arm64', [{ key: 'arch', value: 'arm64', effect: 'NoSchedule' }]));
  });
  t.notOk(watcher.synced(), 'not synced before the first list');
  t.same(watcher.nodes(), []);

  t.ok(await eventually(() => watcher.synced()), 'synced after the list');
  t.same(summary(watcher), ['amd-1=linux/amd64', 'arm-1=linux/arm64']);
  t.same(watcher.nodes().find((n) => n.name === 'arm-1')?.taints, [
    { key: 'arch', value: 'arm64', effect: 'NoSchedule' },
  ]);
  t.ok(await eventually(() => watchCount(api) > 0), 'watching');
  t.ok(changes() > 0, 'onChange called');

  api.addNode(nodeObject('pi', 'arm'));
  t.ok(await eventually(() => summary(watcher).includes('pi=linux/arm/v7')), 'added node appears');

  api.addNode(nodeObject('amd-1', 'amd64', [{ key: 'maintenance', effect: 'NoExecute' }]));
  t.ok(
    await eventually(() => watcher.nodes().find((n) => n.name === 'amd-1')?.taints.length === 1),
    'modified node is updated',
  );

  const snapshot = watcher.nodes();
  const changesBefore = changes();
  const heartbeat = {
    ...nodeObject('pi', 'arm'),
    status: {
      ...(nodeObject('pi', 'arm') as { status: object }).status,
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
  api.addNode(heartbeat);
  api.addNode(nodeObject('late', 'amd64'));
  t.ok(await eventually(() => summary(watcher).includes('late=linux/amd64')), 'events after the heartbeat arrived');
  t.equal(changes() - changesBefore, 1, 'a status-only update of pi changed nothing; the new node did');
  t.not(watcher.nodes(), snapshot);
  api.removeNode('late');
  t.ok(await eventually(() => !summary(watcher).includes('late=linux/amd64')));

  api.removeNode('amd-1');
  t.ok(await eventually(() => !summary(watcher).some((s) => s.startsWith('amd-1='))), 'removed node disappears');
  t.same(summary(watcher), ['arm-1=linux/arm64', 'pi=linux/arm/v7']);
  t.equal(listCount(api), 1, 'one list; the rest came through the watch');
});

t.test('a failed list is retried after a backoff', async (t) => {
  const { api, watcher, warnings } = await setUp(t, (api) => {
    api.addNode(nodeObject('amd-1', 'amd64'));
    api.fault(LIST, { status: 500, times: 2 });
  });
  t.ok(await eventually(() => watcher.synced()), 'synced after the retries');
  t.same(summary(watcher), ['amd-1=linux/amd64']);
  t.equal(listCount(api), 3, 'two failures, then success');
  t.same(warnings, ['node watch failed; retrying', 'node watch failed; retrying']);
});

t.test('a refused list (RBAC) is retried, not fatal', async (t) => {
  const { api, watcher, warnings } = await setUp(t, (api) => {
    api.addNode(nodeObject('amd-1', 'amd64'));
    api.fault(LIST, { status: 403, times: 1 });
  });
  t.ok(await eventually(() => watcher.synced()));
  t.equal(warnings.length, 1);
  t.equal(listCount(api), 2);
});

t.test('a failed watch is reopened and events keep flowing', async (t) => {
  const { api, watcher, warnings } = await setUp(t, (api) => {
    api.addNode(nodeObject('amd-1', 'amd64'));
    api.fault(WATCH, { status: 500, times: 1 });
  });
  t.ok(await eventually(() => watchCount(api) >= 2), 'rewatched after the failure');
  t.equal(warnings.length, 1);
  api.addNode(nodeObject('arm-1', 'arm64'));
  t.ok(await eventually(() => summary(watcher).includes('arm-1=linux/arm64')), 'events after the reconnect');
});

t.test('stop() ends the watch; the last nodes stay readable', async (t) => {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  api.addNode(nodeObject('amd-1', 'amd64'));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  // The backoff's timers are injected, so the test sees what is still scheduled instead of sleeping and hoping.
  const scheduled = new Set<NodeJS.Timeout>();
  const timers = {
    setTimeout: (callback: () => void, ms: number): NodeJS.Timeout => {
      const timer = setTimeout(() => {
        scheduled.delete(timer);
        callback();
      }, ms);
      scheduled.add(timer);
      return timer;
    },
    clearTimeout: (timer: NodeJS.Timeout): void => {
      scheduled.delete(timer);
      clearTimeout(timer);
    },
  };
  const watcher = startNodeWatcher({ kubeConfig, backoff: { initialMs: 20, maxMs: 100 }, timers });
  t.ok(await eventually(() => api.openWatches() > 0), 'watching');
  await watcher.stop();
  await watcher.stop(); // idempotent
  t.ok(await eventually(() => api.openWatches() === 0), 'the watch connection is closed');
  t.equal(scheduled.size, 0, 'no retry is scheduled: nothing can send a request any more');
  const before = api.requests().length;
  api.addNode(nodeObject('arm-1', 'arm64'));
  t.equal(api.openWatches(), 0, 'no watch to deliver the event on');
  t.equal(api.requests().length, before, 'no request after stop');
  t.same(summary(watcher), ['amd-1=linux/amd64'], 'no event after stop');
});

t.test('stop() cancels a scheduled retry', async (t) => {
  const api = await startFakeKubeApi();
  t.teardown(() => api.close());
  api.addNode(nodeObject('amd-1', 'amd64'));
  api.fault(WATCH, { status: 500 });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  const scheduled = new Map<NodeJS.Timeout, number>();
  const timers = {
    setTimeout: (callback: () => void, ms: number): NodeJS.Timeout => {
      const timer = setTimeout(() => {
        scheduled.delete(timer);
        callback();
      }, ms);
      scheduled.set(timer, ms);
      return timer;
    },
    clearTimeout: (timer: NodeJS.Timeout): void => {
      scheduled.delete(timer);
      clearTimeout(timer);
    },
  };
  // A retry an hour away: it is pending for the whole test, and only stop() can cancel it.
  const watcher = startNodeWatcher({ kubeConfig, backoff: { initialMs: 3_600_000, maxMs: 3_600_000 }, timers });
  t.ok(await eventually(() => [...scheduled.values()].includes(3_600_000)), 'the failed watch scheduled a retry');
  await watcher.stop();
  t.equal(scheduled.size, 0, 'stop() cleared it');
});

t.test('an unreachable API server is retried without throwing', async (t) => {
  const api = await startFakeKubeApi();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  await api.close();
  const warnings: string[] = [];
  const watcher = startNodeWatcher({
    kubeConfig,
    backoff: { initialMs: 10, maxMs: 20 },
    log: { warn: (_details, message) => void warnings.push(message), info: () => {} },
  });
  t.teardown(() => watcher.stop());
  t.ok(await eventually(() => warnings.length >= 3), 'keeps retrying');
  t.notOk(watcher.synced());
  t.same(watcher.nodes(), []);
});

t.test('a hung list times out and is retried', async (t) => {
  const api = await startFakeKubeApi();
  api.addNode(nodeObject('amd-1', 'amd64'));
  api.fault(LIST, { hang: true, times: 1 });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  const warnings: string[] = [];
  const watcher = startNodeWatcher({
    kubeConfig,
    listTimeoutMs: 200,
    backoff: { initialMs: 10, maxMs: 20 },
    log: { warn: (_details, message) => void warnings.push(message), info: () => {} },
  });
  t.teardown(async () => {
    await watcher.stop();
    await api.close();
  });
  t.ok(await eventually(() => watcher.synced()), 'synced by the second list');
  t.equal(listCount(api), 2);
  t.same(warnings, ['node watch failed; retrying']);
});
