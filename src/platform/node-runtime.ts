/**
 * Which container runtime the nodes run, from what each Node reports in `status.nodeInfo.containerRuntimeVersion`:
 * the kubelet writes `<RuntimeName>://<RuntimeVersion>` from the runtime's CRI Version answer
 * (https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/nodestatus/setters.go, VersionInfo), e.g.
 * `containerd://2.1.4`, `cri-o://1.34.1`, or `docker://28.3.2` for cri-dockerd. Pure and bounded: the text is read
 * from its first {@link MAX_RUNTIME_VERSION_CHARS} characters only, without regular expressions over it.
 */
import type { NodeInfo } from './candidate-platforms.js';

/** The runtimes pullguard knows by name; any other runtime reads as unknown. */
export type NodeRuntimeName = 'containerd' | 'cri-o' | 'docker';

export interface NodeRuntime {
  readonly runtime: NodeRuntimeName;
  /** The version as reported, without a leading `v` (`2.1.4`, `1.7.27-k3s1`); empty when the node gave none. */
  readonly version: string;
  /** Major and minor version, when the version starts with `<major>.<minor>`. */
  readonly major?: number;
  readonly minor?: number;
}

/** The kubelet's field is short; node-info.ts keeps at most 256 characters of it. */
export const MAX_RUNTIME_VERSION_CHARS = 256;

/** The CRI `RuntimeName` each runtime reports, as the kubelet copies it before `://`. */
const RUNTIME_NAMES: Readonly<Record<string, NodeRuntimeName>> = {
  containerd: 'containerd',
  'cri-o': 'cri-o',
  docker: 'docker',
};

/** `containerd://2.1.4` → `{runtime: 'containerd', version: '2.1.4', major: 2, minor: 1}`; undefined when unknown. */
export function parseContainerRuntimeVersion(text: string): NodeRuntime | undefined {
  if (typeof text !== 'string') return undefined;
  const bounded = text.slice(0, MAX_RUNTIME_VERSION_CHARS).trim();
  const separator = bounded.indexOf('://');
  if (separator <= 0) return undefined;
  const runtime = RUNTIME_NAMES[bounded.slice(0, separator).toLowerCase()];
  if (runtime === undefined) return undefined;
  const raw = bounded.slice(separator + 3);
  const version = raw.startsWith('v') ? raw.slice(1) : raw;
  const [major, minor] = version.split('.', 2).map(leadingNumber);
  return {
    runtime,
    version,
    ...(major !== undefined && minor !== undefined ? { major, minor } : {}),
  };
}

/** The digits a version part starts with (`4-k3s1` → 4), or undefined when it does not start with one. */
function leadingNumber(part: string): number | undefined {
  let end = 0;
  while (end < part.length && end < 9 && part.charCodeAt(end) >= 48 && part.charCodeAt(end) <= 57) end++;
  return end === 0 ? undefined : Number(part.slice(0, end));
}

/** The configured runtime, as the config file names it (`runtime: {containerd: …}` or `runtime: {crio: …}`). */
export type ConfiguredRuntime = 'containerd' | 'crio';

/**
 * The runtime in use: the configured one when the config names it (the admin knows best), else the runtime most
 * nodes report, else undefined (no nodes, or none reports a runtime pullguard knows). A tie goes to containerd, then
 * CRI-O, then Docker, so the answer does not depend on the order the nodes were listed in.
 */
export function runtimeInUse(input: {
  readonly configured?: ConfiguredRuntime | undefined;
  readonly nodes: readonly NodeInfo[];
}): NodeRuntimeName | undefined {
  if (input.configured) return input.configured === 'crio' ? 'cri-o' : 'containerd';
  const counts: Record<NodeRuntimeName, number> = { containerd: 0, 'cri-o': 0, docker: 0 };
  for (const node of input.nodes) {
    const parsed = node.containerRuntimeVersion
      ? parseContainerRuntimeVersion(node.containerRuntimeVersion)
      : undefined;
    if (parsed) counts[parsed.runtime]++;
  }
  let best: NodeRuntimeName | undefined;
  for (const runtime of ['containerd', 'cri-o', 'docker'] as const)
    if (counts[runtime] > 0 && (best === undefined || counts[runtime] > counts[best])) best = runtime;
  return best;
}

/** CRI-O made `short_name_mode = "enforcing"` its default in 1.34. */
const CRIO_ENFORCING_SINCE = { major: 1, minor: 34 } as const;

/**
 * True when any node reports CRI-O 1.34 or later, whose default `short_name_mode` (crio.conf, `[crio.image]`) is
 * `enforcing`: an unqualified image with several `unqualified-search-registries` and no alias fails on such a node.
 * The default changed in https://github.com/cri-o/cri-o/commit/a8b550ad04ddf525cd6b8c026adf1d0030ebaab4, first
 * released in CRI-O 1.34 (distributions that turn it back off for upgrades:
 * https://github.com/openshift/machine-config-operator/pull/5628). Any node, not most: a pod can land on the one
 * upgraded node. A node's crio.conf may set the mode back to `disabled`; only the node's own file tells, so this is
 * the default, not a certainty.
 */
export function crioEnforcesShortNamesByDefault(nodes: readonly NodeInfo[]): boolean {
  return nodes.some((node) => {
    const parsed = node.containerRuntimeVersion
      ? parseContainerRuntimeVersion(node.containerRuntimeVersion)
      : undefined;
    if (parsed?.runtime !== 'cri-o' || parsed.major === undefined || parsed.minor === undefined) return false;
    return (
      parsed.major > CRIO_ENFORCING_SINCE.major ||
      (parsed.major === CRIO_ENFORCING_SINCE.major && parsed.minor >= CRIO_ENFORCING_SINCE.minor)
    );
  });
}
