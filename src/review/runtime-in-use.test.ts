import t from 'tap';
import type { NodeInfo } from '../platform/candidate-platforms.js';
import { runtimePort } from './runtime-in-use.js';

const node = (name: string, containerRuntimeVersion: string, os = 'linux'): NodeInfo => ({
  name,
  labels: { 'kubernetes.io/os': os },
  taints: [],
  platform: { os, architecture: 'amd64' },
  containerRuntimeVersion,
});

t.test('the config names the runtime: nodes are not asked', async (t) => {
  let asked = 0;
  const nodes = (): readonly NodeInfo[] => (asked++, [node('a', 'containerd://2.1.4')]);
  t.equal(runtimePort({ runtime: { kind: 'crio' } }, nodes)(), 'cri-o');
  t.equal(
    runtimePort({ runtime: { kind: 'containerd', hostsDir: '/etc/containerd/certs.d' } }, nodes)({ osName: 'linux' }),
    'containerd',
  );
  t.equal(asked, 0);
});

t.test('else the nodes: what most of them run', async (t) => {
  const port = runtimePort({}, () => [node('a', 'cri-o://1.34.1'), node('b', 'cri-o://1.34.1')]);
  t.equal(port(), 'cri-o');
  t.equal(runtimePort({}, () => [node('a', 'containerd://2.1.4')])(), 'containerd');
});

t.test('unknown: no nodes (pullguard check), or nodes on Docker', async (t) => {
  t.equal(runtimePort({})(), undefined);
  t.equal(runtimePort({}, () => [node('a', 'docker://28.3.2')])(), undefined, "cri-dockerd: not containerd's words");
});

t.test('remembered per snapshot of the nodes, read afresh when it changes', async (t) => {
  let reads = 0;
  const counted = (nodes: NodeInfo[]): readonly NodeInfo[] => {
    const values = nodes[Symbol.iterator].bind(nodes);
    return Object.assign(nodes, { [Symbol.iterator]: () => (reads++, values()) });
  };
  let snapshot = counted([node('a', 'containerd://2.1.4')]);
  const port = runtimePort({}, () => snapshot);
  t.equal(port(), 'containerd');
  t.equal(port(), 'containerd');
  t.equal(reads, 1, 'the same snapshot is counted once');
  snapshot = counted([node('a', 'cri-o://1.34.1')]);
  t.equal(port(), 'cri-o', 'a node changed: a new snapshot');
  t.equal(reads, 2);
});

t.test('a pod with a placement: the runtime of the nodes it can land on', async (t) => {
  // OpenShift-style: Linux nodes on CRI-O, Windows nodes on containerd.
  const cluster = [
    node('linux-1', 'cri-o://1.34.1'),
    node('linux-2', 'cri-o://1.34.1'),
    node('win-1', 'containerd://2.1.4', 'windows'),
  ];
  const port = runtimePort({}, () => cluster);
  t.equal(port(), 'cri-o', 'no placement: most nodes');
  t.equal(port({}), 'cri-o', 'no constraint: every node, most of them');
  t.equal(port({ nodeSelector: { 'kubernetes.io/os': 'windows' } }), 'containerd', 'a Windows pod');
  t.equal(port({ osName: 'windows' }), 'containerd', 'spec.os.name');
  t.equal(port({ nodeName: 'win-1' }), 'containerd', 'spec.nodeName');
  t.equal(port({ nodeSelector: { 'kubernetes.io/os': 'linux' } }), 'cri-o');
  t.equal(port({ nodeSelector: { pool: 'gpu' } }), 'cri-o', 'no node fits: all nodes');
});
