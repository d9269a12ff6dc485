import t from 'tap';
import { nodeInfoFromObject } from './node-info.js';
import { formatPlatform } from './platform.js';

const node = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  metadata: { name: 'n1', labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' } },
  status: { nodeInfo: { architecture: 'arm64', operatingSystem: 'linux' } },
  ...extra,
});

t.test('Node objects become NodeInfo', async (t) => {
  const info = nodeInfoFromObject(
    node({
      spec: {
        unschedulable: true,
        taints: [
          { key: 'a', effect: 'NoSchedule' },
          { key: 'b', value: 'x', effect: 'NoExecute', timeAdded: null },
        ],
      },
    }),
  );
  t.equal(info?.name, 'n1');
  t.equal(info && formatPlatform(info.platform), 'linux/arm64', 'status.nodeInfo wins over labels');
  t.same(info?.taints, [
    { key: 'a', effect: 'NoSchedule' },
    { key: 'b', value: 'x', effect: 'NoExecute' },
  ]);
  t.equal(info?.unschedulable, true);
  t.same(info?.labels, { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' });
});

t.test('nulls are tolerated, as JSON from a watch may carry them', async (t) => {
  const info = nodeInfoFromObject({
    metadata: { name: 'n2', labels: { 'kubernetes.io/arch': 'arm', 'kubernetes.io/os': 'linux' } },
    spec: { taints: null, unschedulable: null },
    status: { nodeInfo: null },
  });
  t.equal(info && formatPlatform(info.platform), 'linux/arm/v7', 'labels as fallback, arm implies v7');
  t.same(info?.taints, []);
  t.equal(info?.unschedulable, undefined);
});

t.test('objects that are not usable Nodes are refused', async (t) => {
  const table: [string, unknown][] = [
    ['null', null],
    ['a string', 'node'],
    ['no metadata', { status: {} }],
    ['empty name', { metadata: { name: '' } }],
    ['labels not strings', { metadata: { name: 'x', labels: { a: 1 } } }],
    ['taints not a list', node({ spec: { taints: 'a' } })],
    ['no platform anywhere', { metadata: { name: 'x' }, status: { nodeInfo: {} } }],
  ];
  for (const [name, object] of table) t.equal(nodeInfoFromObject(object), undefined, name);
});
