/**
 * The runtime whose words denials quote (docs/findings.md, "The runtime's words"): the config's `runtime:` first, then
 * what most nodes report in `status.nodeInfo.containerRuntimeVersion` (platform/node-runtime.ts). Nodes on Docker
 * (cri-dockerd) or a runtime pullguard does not know read as unknown: the denial then quotes containerd, saying so.
 */
import type { Config } from '../config/load-config.js';
import type { NodeInfo } from '../platform/candidate-platforms.js';
import { runtimeInUse } from '../platform/node-runtime.js';
import type { Runtime } from '../policy/runtime-words.js';
import type { RuntimePort } from './ports.js';

const NO_NODES: readonly NodeInfo[] = [];

/**
 * The port over the config and the nodes known now (the node watcher's snapshot; none for `pullguard check`). The
 * answer is remembered per snapshot: the watcher hands out the same array until a node changes.
 */
export function runtimePort(
  config: Pick<Config, 'runtime'>,
  nodes: () => readonly NodeInfo[] = () => NO_NODES,
): RuntimePort {
  const configured = config.runtime?.kind;
  let seen: readonly NodeInfo[] | undefined;
  let answer: Runtime | undefined;
  return () => {
    const current = nodes();
    if (current !== seen) {
      const found = runtimeInUse({ configured, nodes: current });
      answer = found === 'docker' ? undefined : found;
      seen = current;
    }
    return answer;
  };
}
