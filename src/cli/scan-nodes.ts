/**
 * The cluster's Nodes for `pullguard scan`, listed once before the checks: the platform check places each workload
 * on them (docs/design.md §1.3) and the short-name rules read their runtime, as the webhook's node watcher gives them
 * in `serve`. Bounded (at most {@link MAX_NODES}); a list that fails is a problem, and the checks go on with the
 * config's `platforms:` only. Never throws.
 */
import type { KubeAccess } from '../kube/kube-config.js';
import { createKubeRequest } from '../kube/kube-request.js';
import { listPages } from '../kube/list-pages.js';
import type { NodeInfo } from '../platform/candidate-platforms.js';
import { nodeInfoFromObject } from '../platform/node-info.js';

const MAX_NODES = 5_000;

export interface ListedNodes {
  readonly nodes: readonly NodeInfo[];
  /** Why the nodes are not known, when they are not: said with the scan's problems. */
  readonly problem?: string;
}

export async function listNodes(
  kube: KubeAccess,
  options: { readonly signal: AbortSignal; readonly requestTimeoutMs: number },
): Promise<ListedNodes> {
  const nodes: NodeInfo[] = [];
  const result = await listPages(createKubeRequest(kube.kubeConfig, options.requestTimeoutMs), '/api/v1/nodes', {
    signal: options.signal,
    take: (item) => {
      if (nodes.length >= MAX_NODES) return false;
      const info = nodeInfoFromObject(item);
      if (info !== undefined) nodes.push(info);
      return true;
    },
  });
  if (result.status === 'ok') return { nodes: Object.freeze(nodes) };
  const why = result.status === 'not-found' ? 'HTTP 404' : `${result.kind} (${result.detail})`;
  return {
    nodes: Object.freeze([]),
    problem: `cannot list nodes: ${why}; the platform check uses the config's platforms: only`,
  };
}
