import t from 'tap';
import type { NodeInfo } from './candidate-platforms.js';
import {
  crioEnforcesShortNamesByDefault,
  MAX_RUNTIME_VERSION_CHARS,
  parseContainerRuntimeVersion,
  runtimeInUse,
} from './node-runtime.js';

const node = (name: string, containerRuntimeVersion?: string): NodeInfo => ({
  name,
  labels: {},
  taints: [],
  platform: { os: 'linux', architecture: 'amd64' },
  ...(containerRuntimeVersion !== undefined ? { containerRuntimeVersion } : {}),
});

t.test('the runtime and version of what the kubelet reports', async (t) => {
  t.same(parseContainerRuntimeVersion('containerd://2.1.4'), {
    runtime: 'containerd',
    version: '2.1.4',
    major: 2,
    minor: 1,
  });
  t.same(parseContainerRuntimeVersion('cri-o://1.34.1'), { runtime: 'cri-o', version: '1.34.1', major: 1, minor: 34 });
  t.same(parseContainerRuntimeVersion('docker://28.3.2'), {
    runtime: 'docker',
    version: '28.3.2',
    major: 28,
    minor: 3,
  });
  t.same(
    parseContainerRuntimeVersion('containerd://v1.7.27-k3s1'),
    { runtime: 'containerd', version: '1.7.27-k3s1', major: 1, minor: 7 },
    'a leading v and a distribution suffix',
  );
  t.same(
    parseContainerRuntimeVersion('CRI-O://1.35'),
    { runtime: 'cri-o', version: '1.35', major: 1, minor: 35 },
    'the scheme in any case',
  );
  t.same(
    parseContainerRuntimeVersion('containerd://'),
    { runtime: 'containerd', version: '' },
    'no version: the runtime is still known',
  );
  t.same(parseContainerRuntimeVersion('cri-o://main'), { runtime: 'cri-o', version: 'main' }, 'a version not numbered');
});

t.test('anything else is not a known runtime', async (t) => {
  for (const text of ['', 'containerd', '://1.2', 'rkt://1.0', 'frakti://0.1', 'containerd:/2.1', 42 as never])
    t.equal(parseContainerRuntimeVersion(text), undefined, JSON.stringify(text));
});

t.test('hostile input: bounded, never thrown', async (t) => {
  const long = `cri-o://1.34.${'9'.repeat(1_000_000)}`;
  const parsed = parseContainerRuntimeVersion(long);
  t.equal(parsed?.runtime, 'cri-o');
  t.ok((parsed?.version.length ?? Infinity) <= MAX_RUNTIME_VERSION_CHARS, 'the version is cut');
  t.equal(parsed?.minor, 34);
  t.same(
    parseContainerRuntimeVersion(`containerd://${'1'.repeat(200)}.2`),
    { runtime: 'containerd', version: `${'1'.repeat(200)}.2`, major: 111_111_111, minor: 2 },
    'an absurd major number stays a finite number',
  );
});

t.test('the runtime in use: the config first', async (t) => {
  const crio = [node('a', 'cri-o://1.34.1'), node('b', 'cri-o://1.34.1')];
  t.equal(runtimeInUse({ configured: 'containerd', nodes: crio }), 'containerd');
  t.equal(runtimeInUse({ configured: 'crio', nodes: [] }), 'cri-o');
});

t.test('the runtime in use: else what most nodes report', async (t) => {
  t.equal(runtimeInUse({ nodes: [node('a', 'cri-o://1.34.1')] }), 'cri-o');
  t.equal(
    runtimeInUse({
      nodes: [node('a', 'containerd://2.1.4'), node('b', 'cri-o://1.34.1'), node('c', 'cri-o://1.33.0')],
    }),
    'cri-o',
  );
  t.equal(runtimeInUse({ nodes: [node('a', 'docker://28.3.2'), node('b')] }), 'docker');
  t.equal(
    runtimeInUse({ nodes: [node('a', 'cri-o://1.34.1'), node('b', 'containerd://2.1.4')] }),
    'containerd',
    'a tie goes to containerd…',
  );
  t.equal(
    runtimeInUse({ nodes: [node('b', 'containerd://2.1.4'), node('a', 'cri-o://1.34.1')] }),
    'containerd',
    '…whatever the order',
  );
  t.equal(runtimeInUse({ nodes: [node('a', 'docker://28.0.0'), node('b', 'cri-o://1.34.1')] }), 'cri-o', 'then CRI-O');
});

t.test('the runtime in use: unknown without nodes or without a runtime they name', async (t) => {
  t.equal(runtimeInUse({ nodes: [] }), undefined);
  t.equal(runtimeInUse({ nodes: [node('a'), node('b', 'rkt://1.0')] }), undefined);
});

t.test('CRI-O 1.34 and later enforce short names by default', async (t) => {
  const enforces = (...versions: string[]): boolean =>
    crioEnforcesShortNamesByDefault(versions.map((v, i) => node(`n${i}`, v)));
  t.equal(enforces('cri-o://1.34.1'), true);
  t.equal(enforces('cri-o://1.34.0'), true);
  t.equal(enforces('cri-o://1.35.2'), true);
  t.equal(enforces('cri-o://2.0.0'), true);
  t.equal(enforces('cri-o://1.33.5'), false);
  t.equal(enforces('cri-o://1.3'), false, 'minor 3, not 30-something');
  t.equal(enforces('cri-o://main'), false, 'a version that says nothing');
  t.equal(enforces('containerd://2.1.4'), false, 'containerd has no short-name mode');
  t.equal(enforces('containerd://2.1.4', 'cri-o://1.33.0', 'cri-o://1.34.1'), true, 'one node is enough');
  t.equal(crioEnforcesShortNamesByDefault([]), false);
  t.equal(crioEnforcesShortNamesByDefault([node('a')]), false);
});
