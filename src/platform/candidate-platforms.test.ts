import t from 'tap';
import { candidatePlatforms, type NodeInfo, type PodPlacement } from './candidate-platforms.js';
import { formatPlatform, parsePlatform, type Platform } from './platform.js';

function p(text: string): Platform {
  const parsed = parsePlatform(text);
  if (!parsed) throw new Error(`bad platform in test: ${text}`);
  return parsed;
}

function node(name: string, arch: string, extra: Partial<NodeInfo> = {}): NodeInfo {
  return {
    name,
    labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': arch, ...extra.labels },
    taints: extra.taints ?? [],
    platform:
      arch === 'arm' ? { os: 'linux', architecture: 'arm', variant: 'v7' } : { os: 'linux', architecture: arch },
    ...(extra.unschedulable === undefined ? {} : { unschedulable: extra.unschedulable }),
  };
}

const mixed: NodeInfo[] = [
  node('amd-1', 'amd64', { labels: { pool: 'general' } }),
  node('amd-2', 'amd64', { labels: { pool: 'general', cores: '64' } }),
  node('arm-1', 'arm64', { labels: { pool: 'arm' }, taints: [{ key: 'arch', value: 'arm64', effect: 'NoSchedule' }] }),
  node('arm-2', 'arm64', {
    labels: { pool: 'arm', cores: '8' },
    taints: [{ key: 'arch', value: 'arm64', effect: 'NoSchedule' }],
  }),
  node('pi', 'arm', { labels: { pool: 'edge' } }),
];
const tolerateArm = [{ key: 'arch', operator: 'Exists' }];

t.test('candidate platforms from nodes', async (t) => {
  const table: [name: string, nodes: NodeInfo[], placement: PodPlacement, platforms: string[]][] = [
    ['arm64-only cluster', [node('a', 'arm64'), node('b', 'arm64')], {}, ['linux/arm64']],
    ['mixed cluster, no constraints, arm taints not tolerated', mixed, {}, ['linux/amd64', 'linux/arm/v7']],
    [
      'mixed cluster, arm taints tolerated',
      mixed,
      { tolerations: tolerateArm },
      ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
    ],
    [
      'nodeSelector pins amd64',
      mixed,
      { nodeSelector: { 'kubernetes.io/arch': 'amd64' }, tolerations: tolerateArm },
      ['linux/amd64'],
    ],
    ['nodeSelector on a custom label', mixed, { nodeSelector: { pool: 'edge' } }, ['linux/arm/v7']],
    [
      'required affinity to arm64',
      mixed,
      {
        requiredNodeAffinity: [
          { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] },
        ],
        tolerations: tolerateArm,
      },
      ['linux/arm64'],
    ],
    [
      'affinity to arm64 without the toleration: nowhere to land',
      mixed,
      {
        requiredNodeAffinity: [
          { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] },
        ],
      },
      [],
    ],
    [
      'affinity NotIn arm, arm64',
      mixed,
      {
        requiredNodeAffinity: [
          { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'NotIn', values: ['arm', 'arm64'] }] },
        ],
        tolerations: tolerateArm,
      },
      ['linux/amd64'],
    ],
    [
      'affinity Exists/DoesNotExist',
      mixed,
      {
        requiredNodeAffinity: [{ matchExpressions: [{ key: 'cores', operator: 'DoesNotExist' }] }],
        tolerations: tolerateArm,
      },
      ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
    ],
    [
      'affinity Gt on cores',
      mixed,
      {
        requiredNodeAffinity: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['16'] }] }],
        tolerations: tolerateArm,
      },
      ['linux/amd64'],
    ],
    [
      'affinity Lt on cores',
      mixed,
      {
        requiredNodeAffinity: [{ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['16'] }] }],
        tolerations: tolerateArm,
      },
      ['linux/arm64'],
    ],
    [
      'affinity terms ORed',
      mixed,
      {
        requiredNodeAffinity: [
          { matchExpressions: [{ key: 'pool', operator: 'In', values: ['edge'] }] },
          { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['arm-1'] }] },
        ],
        tolerations: tolerateArm,
      },
      ['linux/arm64', 'linux/arm/v7'],
    ],
    ['nodeName binds to one node', mixed, { nodeName: 'pi' }, ['linux/arm/v7']],
    ['nodeName skips NoSchedule taints', mixed, { nodeName: 'arm-1' }, ['linux/arm64']],
    ['nodeName of an unknown node', mixed, { nodeName: 'gone' }, []],
    ['os.name windows on a linux cluster', mixed, { osName: 'windows' }, []],
    ['cordoned nodes are out', [node('a', 'amd64', { unschedulable: true }), node('b', 'arm64')], {}, ['linux/arm64']],
    [
      'cordoned nodes are in for pods tolerating the unschedulable taint',
      [node('a', 'amd64', { unschedulable: true }), node('b', 'arm64')],
      { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] },
      ['linux/amd64', 'linux/arm64'],
    ],
    [
      'NoExecute taints exclude, PreferNoSchedule does not',
      [
        node('a', 'amd64', { taints: [{ key: 'x', effect: 'NoExecute' }] }),
        node('b', 'arm64', { taints: [{ key: 'y', effect: 'PreferNoSchedule' }] }),
      ],
      {},
      ['linux/arm64'],
    ],
  ];
  for (const [name, nodes, placement, platforms] of table) {
    const result = candidatePlatforms({ nodes, placement, configuredPlatforms: [p('linux/s390x')] });
    t.same(result.platforms.map(formatPlatform), platforms, `${name}: platforms`);
    t.equal(result.source, 'nodes', `${name}: nodes win over configured platforms`);
  }
});

t.test('a pod no node accepts gets a note', async (t) => {
  const result = candidatePlatforms({
    nodes: mixed,
    placement: { nodeSelector: { pool: 'none' } },
    configuredPlatforms: [],
  });
  t.match(result.notes, [/no node matches/]);
});

t.test('spec.os.name and spec.nodeName act as the kubelet admits pods', async (t) => {
  const win: NodeInfo = {
    name: 'win-1',
    labels: { 'kubernetes.io/os': 'windows', 'kubernetes.io/arch': 'amd64' },
    taints: [],
    platform: p('windows/amd64'),
  };
  const cluster = [...mixed, win];
  const table: [name: string, placement: PodPlacement, platforms: string[], notes: RegExp[]][] = [
    ['os.name windows keeps the windows node only', { osName: 'windows' }, ['windows/amd64'], []],
    [
      'os.name linux drops the windows node',
      { osName: 'linux', tolerations: tolerateArm },
      ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
      [],
    ],
    ['nodeName on the arm64 node', { nodeName: 'arm-2' }, ['linux/arm64'], []],
    ['nodeName and os.name that disagree', { nodeName: 'arm-2', osName: 'windows' }, [], [/no node matches/]],
    [
      'nodeName on a node the nodeSelector excludes (the kubelet checks it too)',
      { nodeName: 'pi', nodeSelector: { pool: 'arm' } },
      [],
      [/no node matches/],
    ],
    [
      'nodeName of an unknown node',
      { nodeName: 'gone' },
      [],
      [/^the node in spec.nodeName is not among the cluster's nodes$/],
    ],
    [
      'an os.name the API server rejects is ignored',
      { osName: 'Windows' },
      ['linux/amd64', 'linux/arm/v7', 'windows/amd64'],
      [/^spec.os.name ignored: only linux and windows are valid$/],
    ],
  ];
  for (const [name, placement, platforms, notes] of table) {
    const result = candidatePlatforms({ nodes: cluster, placement, configuredPlatforms: [] });
    t.same(result.platforms.map(formatPlatform), platforms, `${name}: platforms`);
    t.match(result.notes, notes, `${name}: notes`);
    t.equal(result.notes.length, notes.length, `${name}: note count`);
  }
  const configured = candidatePlatforms({
    nodes: [],
    placement: { osName: 'plan9' },
    configuredPlatforms: [p('linux/amd64'), p('windows/amd64')],
  });
  t.same(
    configured.platforms.map(formatPlatform),
    ['linux/amd64', 'windows/amd64'],
    'configured platforms: an invalid os.name is no constraint',
  );
  t.match(configured.notes, [/spec.os.name ignored/]);
});

t.test('ignored requirements are reported once', async (t) => {
  const gt = { key: 'cores', operator: 'Gt', values: ['many'] };
  const result = candidatePlatforms({
    nodes: mixed,
    placement: { requiredNodeAffinity: [{ matchExpressions: [gt] }] },
    configuredPlatforms: [],
  });
  t.same(result.notes, ['Gt on label cores ignored: it needs exactly one integer value']);
});

t.test('outside a cluster: configured platforms narrowed by os/arch constraints only', async (t) => {
  const configured = [p('linux/amd64'), p('linux/arm64'), p('linux/arm/v7'), p('windows/amd64')];
  const table: [name: string, placement: PodPlacement, platforms: string[], notes: RegExp[]][] = [
    ['no constraints', {}, ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'windows/amd64'], []],
    ['nodeSelector arch', { nodeSelector: { 'kubernetes.io/arch': 'arm64' } }, ['linux/arm64'], []],
    [
      'nodeSelector os',
      { nodeSelector: { 'kubernetes.io/os': 'linux' } },
      ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
      [],
    ],
    [
      'deprecated beta label',
      { nodeSelector: { 'beta.kubernetes.io/arch': 'amd64' } },
      ['linux/amd64', 'windows/amd64'],
      [],
    ],
    [
      'other nodeSelector labels are not evaluated',
      { nodeSelector: { pool: 'gpu', 'kubernetes.io/arch': 'amd64' } },
      ['linux/amd64', 'windows/amd64'],
      [/nodeSelector on label pool not evaluated/],
    ],
    [
      'affinity In on arch',
      {
        requiredNodeAffinity: [
          { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm'] }] },
        ],
      },
      ['linux/amd64', 'linux/arm/v7', 'windows/amd64'],
      [],
    ],
    [
      'affinity NotIn on os',
      {
        requiredNodeAffinity: [
          { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'NotIn', values: ['windows'] }] },
        ],
      },
      ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
      [],
    ],
    [
      'a term on other labels only leaves the platforms open',
      {
        requiredNodeAffinity: [
          { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] },
          { matchExpressions: [{ key: 'pool', operator: 'In', values: ['x'] }] },
        ],
      },
      ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'windows/amd64'],
      [/node affinity on label pool not evaluated/],
    ],
    [
      'matchFields cannot be evaluated',
      { requiredNodeAffinity: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }] }] },
      ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'windows/amd64'],
      [/matchFields not evaluated/],
    ],
    ['os.name', { osName: 'windows' }, ['windows/amd64'], []],
    [
      'tolerations and nodeName do not matter',
      { nodeName: 'x', tolerations: [] },
      ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'windows/amd64'],
      [],
    ],
  ];
  for (const [name, placement, platforms, notes] of table) {
    const result = candidatePlatforms({ nodes: [], placement, configuredPlatforms: configured });
    t.same(result.platforms.map(formatPlatform), platforms, `${name}: platforms`);
    t.equal(result.source, 'config', `${name}: source`);
    t.match(result.notes, notes, `${name}: notes`);
    t.equal(result.notes.length, notes.length, `${name}: note count`);
  }
});

t.test('configured platforms are deduplicated after normalization', async (t) => {
  const result = candidatePlatforms({
    nodes: [],
    placement: {},
    configuredPlatforms: [p('linux/arm64'), p('linux/arm64/v8')],
  });
  t.same(result.platforms.map(formatPlatform), ['linux/arm64']);
});
