/**
 * The runtime whose words denials quote (docs/findings.md, "The runtime's words"): the config's `runtime:` first, then
 * what the nodes the pod can land on report in `status.nodeInfo.containerRuntimeVersion` (most of them; of all nodes
 * when none fits the pod's placement), see platform/node-runtime.ts. A cluster can mix runtimes, e.g. Linux nodes on
 * CRI-O and Windows nodes on containerd. Nodes on Docker (cri-dockerd) or a runtime pullguard does not know read as
 * unknown: the denial then quotes containerd, saying so.
 */
import type { Config } from '../config/load-config.js';
import { candidateNodes, type NodeInfo } from '../platform/candidate-platforms.js';
import { runtimeInUse, type NodeRuntimeName } from '../platform/node-runtime.js';
import type { Runtime } from '../policy/runtime-words.js';
import type { RuntimePort } from './ports.js';

const NO_NODES: readonly NodeInfo[] = [];

/**
 * The port over the config and the nodes known now (the node watcher's snapshot; none for `pullguard check`). The
 * runtime of all nodes is remembered per snapshot (the watcher hands out the same array until a node changes); the
 * nodes a placement lands on are worked out per call, which happens only for a denial.
 */
export function runtimePort(
  config: Pick<Config, 'runtime'>,
  nodes: () => readonly NodeInfo[] = () => NO_NODES,
): RuntimePort {
  const configured = config.runtime?.kind;
  if (configured) {
    const runtime = quoted(runtimeInUse({ configured, nodes: NO_NODES }));
    return () => runtime;
  }
  let seen: readonly NodeInfo[] | undefined;
  let ofAll: Runtime | undefined;
  return (placement) => {
    const current = nodes();
    const landing = placement && current.length > 0 ? candidateNodes(current, placement) : [];
    if (landing.length > 0) return quoted(runtimeInUse({ nodes: landing }));
    if (current !== seen) {
      ofAll = quoted(runtimeInUse({ nodes: current }));
      seen = current;
    }
    return ofAll;
  };
}

/** The runtimes whose words pullguard has; Docker's are not among them. */
function quoted(runtime: NodeRuntimeName | undefined): Runtime | undefined {
  return runtime === 'docker' ? undefined : runtime;
}
