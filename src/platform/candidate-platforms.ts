/**
 * Which platforms a pod can land on (docs/design.md §1.5): the platforms of the nodes that pass the pod's
 * nodeSelector, required node affinity and taints, or, with no Node objects to read (outside a cluster), the
 * configured platforms narrowed by the constraints on `kubernetes.io/arch` and `kubernetes.io/os`. Pure.
 *
 * Two fields act the way the kubelet's admission does (pkg/kubelet/lifecycle/predicate.go):
 * - `spec.os.name` keeps only nodes (or configured platforms) of that OS: the kubelet rejects a pod whose `os.name`
 *   is not its own OS, even though the scheduler does not look at the field. The API server accepts only `linux`
 *   and `windows` (https://kubernetes.io/docs/concepts/workloads/pods/#pod-os); any other value is ignored with a
 *   note, the way an invalid node-affinity operator is.
 * - `spec.nodeName` bypasses the scheduler: the one node of that name, if it passes the kubelet's checks (node
 *   selector and affinity, NoExecute taints). A name no known node has leaves no candidates and says so in a note;
 *   without Node objects the name cannot be evaluated and the configured platforms stand.
 */
import type { NodeSelectorTerm, Toleration } from '../workload/extract-pod-spec.js';
import { distinctPlatforms } from './match-platform.js';
import { matchesLabelRequirement, matchesNodeSelector, matchesRequiredAffinity } from './node-selector.js';
import type { Platform } from './platform.js';
import { UNSCHEDULABLE_TAINT, untoleratedTaints, type Taint } from './tolerations.js';

export type { Taint } from './tolerations.js';

/** A cluster node, reduced to what placement and the platform check need. */
export interface NodeInfo {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  /** The platform its runtime pulls for; see `nodePlatform()`. */
  readonly platform: Platform;
  /** `spec.unschedulable` (cordoned): treated as the `node.kubernetes.io/unschedulable:NoSchedule` taint. */
  readonly unschedulable?: boolean;
  /** `status.nodeInfo.containerRuntimeVersion` as the kubelet reports it, e.g. `containerd://2.1.4`, `cri-o://1.34.1`. */
  readonly containerRuntimeVersion?: string;
}

/** The pod's placement constraints. Field names follow `PodSpecView` so a view can be passed as is. */
export interface PodPlacement {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** `requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`; empty means no constraint. */
  readonly requiredNodeAffinity?: readonly NodeSelectorTerm[];
  readonly tolerations?: readonly Toleration[];
  /** `spec.nodeName`: the pod is bound to that node and bypasses the scheduler. */
  readonly nodeName?: string;
  /** `spec.os.name`: the kubelet rejects the pod on a node of another OS; only `linux` and `windows` count. */
  readonly osName?: string;
}

export interface CandidatePlatforms {
  /** Distinct after containerd normalization, in node (or config) order. */
  readonly platforms: Platform[];
  /** Where the platforms come from. */
  readonly source: 'nodes' | 'config';
  /**
   * Why the candidates are what they are where that is not plain: what could not be evaluated and was ignored
   * (e.g. `Gt on label x ignored: …`), or why no node is left. Distinct. A platform finding quotes them.
   */
  readonly notes: string[];
  /** The OS the pod requires (a valid `spec.os.name`): no node selector can move such a pod to another OS. */
  readonly osName?: string;
}

/** The values the API server accepts for `spec.os.name`. */
const POD_OS_NAMES: readonly string[] = ['linux', 'windows'];

/** The labels that name a platform; the only ones that can be evaluated without Node objects. */
const PLATFORM_LABEL_KEYS = [
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
] as const;

/**
 * The platforms the pod can run on. With nodes, each node is kept when it passes every constraint; without nodes
 * (`nodes` empty), `configuredPlatforms` (config `platforms:` or the CLI's `--platform`) stand in for nodes.
 */
export function candidatePlatforms(input: {
  readonly nodes: readonly NodeInfo[];
  readonly placement: PodPlacement;
  readonly configuredPlatforms: readonly Platform[];
}): CandidatePlatforms {
  const notes = new Set<string>();
  const note = (text: string): void => void notes.add(text);
  const placement = withValidOsName(input.placement, note);
  if (input.nodes.length === 0) {
    const platforms = input.configuredPlatforms.filter((p) => platformFits(p, placement, note));
    return { platforms: distinctPlatforms(platforms), source: 'config', notes: [...notes], ...osNameOf(placement) };
  }
  const nodes = input.nodes.filter((node) => nodeFits(node, placement, note));
  if (nodes.length === 0) {
    const { nodeName } = placement;
    const unknown = nodeName !== undefined && nodeName !== '' && !input.nodes.some((node) => node.name === nodeName);
    if (unknown) note("the node in spec.nodeName is not among the cluster's nodes");
    else note("no node matches the pod's placement constraints");
  }
  return {
    platforms: distinctPlatforms(nodes.map((n) => n.platform)),
    source: 'nodes',
    notes: [...notes],
    ...osNameOf(placement),
  };
}

/**
 * The nodes a pod can land on, by the same rules as {@link candidatePlatforms} (without its notes): e.g. to tell which
 * container runtime will pull its images.
 */
export function candidateNodes(nodes: readonly NodeInfo[], placement: PodPlacement): NodeInfo[] {
  const ignore = (): void => {};
  const valid = withValidOsName(placement, ignore);
  return nodes.filter((node) => nodeFits(node, valid, ignore));
}

function osNameOf(placement: PodPlacement): Pick<CandidatePlatforms, 'osName'> {
  return placement.osName ? { osName: placement.osName } : {};
}

/** The placement without an `osName` the API server would reject (it would never reach a node). */
function withValidOsName(placement: PodPlacement, note: (text: string) => void): PodPlacement {
  const { osName, ...rest } = placement;
  if (osName === undefined || osName === '' || POD_OS_NAMES.includes(osName)) return placement;
  note('spec.os.name ignored: only linux and windows are valid');
  return rest;
}

function nodeFits(node: NodeInfo, placement: PodPlacement, note: (text: string) => void): boolean {
  const bound = placement.nodeName !== undefined && placement.nodeName !== '';
  if (bound && node.name !== placement.nodeName) return false;
  if (placement.osName && placement.osName !== node.platform.os) return false;
  if (!matchesNodeSelector(node.labels, placement.nodeSelector ?? {})) return false;
  if (!matchesRequiredAffinity(node, placement.requiredNodeAffinity ?? [], note)) return false;
  const taints =
    node.unschedulable && !node.taints.some((t) => t.key === UNSCHEDULABLE_TAINT.key)
      ? [...node.taints, UNSCHEDULABLE_TAINT]
      : node.taints;
  const blocking = untoleratedTaints(taints, placement.tolerations ?? []);
  // A pod bound by nodeName skips the scheduler: only NoExecute taints keep it off the node.
  return bound ? !blocking.some((t) => t.effect === 'NoExecute') : blocking.length === 0;
}

/** A configured platform, seen as a node that carries only the platform labels. */
function platformFits(platform: Platform, placement: PodPlacement, note: (text: string) => void): boolean {
  if (placement.osName && placement.osName !== platform.os) return false;
  const labels: Record<string, string> = {
    'kubernetes.io/os': platform.os,
    'kubernetes.io/arch': platform.architecture,
    'beta.kubernetes.io/os': platform.os,
    'beta.kubernetes.io/arch': platform.architecture,
  };
  const selector = Object.fromEntries(
    Object.entries(placement.nodeSelector ?? {}).filter(([key]) => isPlatformKey(key, note, 'nodeSelector')),
  );
  if (!matchesNodeSelector(labels, selector)) return false;
  const terms = placement.requiredNodeAffinity ?? [];
  if (terms.length === 0) return true;
  return terms.some((term) => {
    const expressions = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    if (expressions.length === 0 && fields.length === 0) return false; // an empty term matches nothing
    if (fields.length > 0) note('node affinity matchFields not evaluated: no Node objects to read');
    return expressions
      .filter((r) => isPlatformKey(r.key, note, 'node affinity'))
      .every((r) => matchesLabelRequirement(labels, r, note));
  });
}

function isPlatformKey(key: string, note: (text: string) => void, what: string): boolean {
  if ((PLATFORM_LABEL_KEYS as readonly string[]).includes(key)) return true;
  note(`${what} on label ${key} not evaluated: no Node objects to read`);
  return false;
}
