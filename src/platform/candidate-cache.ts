/**
 * Candidate platforms memoized per node snapshot and pod placement: every review of a warm workload would
 * otherwise evaluate every node against the same selectors again. A new node snapshot (the watcher hands out a
 * new array on every change) starts a new memo, so a node change is seen by the next review.
 */
import {
  candidatePlatforms,
  type CandidatePlatforms,
  type NodeInfo,
  type PodPlacement,
} from './candidate-platforms.js';
import type { Platform } from './platform.js';

const MAX_PLACEMENTS = 256;

export function memoizedCandidatePlatforms(
  configured: readonly Platform[],
): (nodes: readonly NodeInfo[], placement: PodPlacement) => CandidatePlatforms {
  let snapshot: readonly NodeInfo[] | undefined;
  let memo = new Map<string, CandidatePlatforms>();
  return (nodes, placement) => {
    if (nodes !== snapshot || memo.size >= MAX_PLACEMENTS) {
      snapshot = nodes;
      memo = new Map();
    }
    const key = placementKey(placement);
    let result = memo.get(key);
    if (!result) {
      result = candidatePlatforms({ nodes, placement, configuredPlatforms: configured });
      memo.set(key, result);
    }
    return result;
  };
}

/** Only the fields candidatePlatforms reads; the common case (no constraints) is the empty key. */
function placementKey(placement: PodPlacement): string {
  const { nodeSelector, requiredNodeAffinity, tolerations, nodeName, osName } = placement;
  const empty =
    (!nodeSelector || Object.keys(nodeSelector).length === 0) &&
    (!requiredNodeAffinity || requiredNodeAffinity.length === 0) &&
    (!tolerations || tolerations.length === 0) &&
    !nodeName &&
    !osName;
  return empty
    ? ''
    : JSON.stringify([nodeSelector ?? {}, requiredNodeAffinity ?? [], tolerations ?? [], nodeName ?? '', osName ?? '']);
}
