import t from 'tap';
import { memoizedCandidatePlatforms } from './candidate-cache.js';
import type { NodeInfo } from './candidate-platforms.js';

const node = (name: string, architecture: string): NodeInfo => ({
  name,
  labels: { 'kubernetes.io/arch': architecture, 'kubernetes.io/os': 'linux' },
  taints: [],
  platform: { os: 'linux', architecture },
});

t.test('the same placement on the same node snapshot is computed once', async (t) => {
  const candidates = memoizedCandidatePlatforms([]);
  const nodes = [node('a', 'amd64'), node('b', 'arm64')];
  const first = candidates(nodes, {});
  t.equal(candidates(nodes, { nodeSelector: {}, tolerations: [] }), first, 'an empty placement is one key');
  t.same(
    first.platforms.map((p) => p.architecture),
    ['amd64', 'arm64'],
  );
  const pinned = candidates(nodes, { nodeSelector: { 'kubernetes.io/arch': 'arm64' } });
  t.same(
    pinned.platforms.map((p) => p.architecture),
    ['arm64'],
    'another placement gets its own answer',
  );
});

t.test('a new node snapshot is seen by the next call', async (t) => {
  const candidates = memoizedCandidatePlatforms([]);
  t.same(
    candidates([node('a', 'amd64')], {}).platforms.map((p) => p.architecture),
    ['amd64'],
  );
  t.same(
    candidates([node('a', 'amd64'), node('c', 'arm64')], {}).platforms.map((p) => p.architecture),
    ['amd64', 'arm64'],
  );
});

t.test('without nodes, the configured platforms stand in', async (t) => {
  const candidates = memoizedCandidatePlatforms([{ os: 'linux', architecture: 'arm64' }]);
  t.same(candidates([], {}).platforms, [{ os: 'linux', architecture: 'arm64' }]);
});
