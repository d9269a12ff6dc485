/**
 * Keeps the cluster's Nodes in memory (list + watch, list-watch.ts) so the platform check knows which platforms pods
 * can land on (docs/design.md §1.5). RBAC: `list`/`watch` on nodes. The last known nodes stay available while the watch
 * reconnects: stale nodes beat no nodes.
 */
import { CoreV1Api, type KubeConfig, type V1Node } from '@kubernetes/client-node';
import type { NodeInfo } from '../platform/candidate-platforms.js';
import { nodeInfoFromObject, objectName } from '../platform/node-info.js';
import { callWithSignal } from './cluster-reader.js';
import { startListWatch, type BackoffTimers, type WatcherLog } from './list-watch.js';

/** A live view of the cluster's nodes. */
export interface NodeWatcher {
  /** The nodes known now (a stable snapshot; empty before the first list). */
  nodes(): readonly NodeInfo[];
  /** True once a first list has been applied; stays true across reconnects. */
  synced(): boolean;
  /** Stops watching and cancels pending retries. Idempotent. */
  stop(): Promise<void>;
}

/** The logger calls the watcher makes (a pino logger fits). Messages are static; details go in the object. */
export type NodeWatcherLog = WatcherLog;

export interface NodeWatcherOptions {
  readonly kubeConfig: KubeConfig;
  /** Delay before restarting after an error: doubles from `initialMs` up to `maxMs`. Default 1 s → 30 s. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** The backoff's timers (Node's by default). */
  readonly timers?: BackoffTimers;
  /** A list that takes longer fails and is retried (a hung list would otherwise stall the watcher). Default 30 s. */
  readonly listTimeoutMs?: number;
  readonly log?: NodeWatcherLog;
  /** Called after the set of nodes changed (list applied, node added, updated or removed). */
  readonly onChange?: () => void;
}

/** Starts listing and watching Nodes. Never throws; failures are logged and retried. */
export function startNodeWatcher(options: NodeWatcherOptions): NodeWatcher {
  const log = options.log;
  const byName = new Map<string, NodeInfo>();
  let snapshot: readonly NodeInfo[] | undefined;

  const changed = (): void => {
    snapshot = undefined;
    options.onChange?.();
  };
  const apply = (object: unknown): void => {
    const info = nodeInfoFromObject(object);
    const name = info?.name ?? objectName(object);
    if (name === undefined) return log?.warn({ kind: 'Node' }, 'ignored a node object without a name');
    if (!info) {
      log?.warn({ node: name }, 'ignored a node whose platform is unknown');
      if (byName.delete(name)) changed();
      return;
    }
    // Nodes are updated all the time (heartbeats, images, conditions); only a change to what the platform check
    // reads starts a new snapshot, which would drop the candidate-platform memos.
    const known = byName.get(name);
    if (known !== undefined && JSON.stringify(known) === JSON.stringify(info)) return;
    byName.set(name, info);
    changed();
  };
  const remove = (object: unknown): void => {
    const name = objectName(object);
    if (name !== undefined && byName.delete(name)) changed();
  };

  const api = options.kubeConfig.makeApiClient(CoreV1Api);
  const watch = startListWatch<V1Node>({
    kubeConfig: options.kubeConfig,
    path: '/api/v1/nodes',
    what: 'node',
    list: (signal) => callWithSignal((callOptions) => api.listNode({}, callOptions), signal),
    // Replace the whole map; ListWatch's add/update callbacks that follow are idempotent.
    onList: (items) => {
      byName.clear();
      for (const item of items) {
        const info = nodeInfoFromObject(item);
        if (info) byName.set(info.name, info);
      }
      changed();
    },
    onUpsert: apply,
    onDelete: remove,
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.listTimeoutMs !== undefined ? { listTimeoutMs: options.listTimeoutMs } : {}),
    ...(log ? { log } : {}),
  });

  return {
    nodes: () => (snapshot ??= Object.freeze([...byName.values()])),
    synced: () => watch.synced(),
    stop: () => watch.stop(),
  };
}
