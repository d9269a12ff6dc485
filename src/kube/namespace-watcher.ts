/**
 * Keeps every namespace's `pullguard.io/mode` label in memory (list + watch, list-watch.ts), so a review knows the
 * label without a read, and a relabelled namespace takes effect at once rather than after the 30 s read cache.
 * RBAC: `list`/`watch` on namespaces. Before the first list, and for a namespace the watch has not seen yet (one
 * created a moment ago), the review reads the label through the API instead (namespace-mode.ts). While the watch
 * reconnects the last known labels are kept: stale beats unknown.
 */
import { CoreV1Api, type KubeConfig, type V1Namespace } from '@kubernetes/client-node';
import type { NamespaceMode } from '../policy/namespace-mode.js';
import { callWithSignal } from './cluster-reader.js';
import { startListWatch, type WatcherLog } from './list-watch.js';
import { modeFromLabels, type KnownModes } from './namespace-mode.js';

export interface NamespaceWatcher extends KnownModes {
  /** True once a first list has been applied; stays true across reconnects. */
  synced(): boolean;
  /** Stops watching and cancels pending retries. Idempotent. */
  stop(): Promise<void>;
}

export interface NamespaceWatcherOptions {
  readonly kubeConfig: KubeConfig;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly listTimeoutMs?: number;
  readonly log?: WatcherLog;
}

/** One frozen answer per mode, so a lookup allocates nothing. */
const ANSWERS: ReadonlyMap<NamespaceMode | undefined, { readonly mode: NamespaceMode | undefined }> = new Map(
  (['warn', 'enforce', 'off', undefined] as const).map((mode) => [mode, Object.freeze({ mode })]),
);

/** Starts listing and watching Namespaces. Never throws; failures are logged and retried. */
export function startNamespaceWatcher(options: NamespaceWatcherOptions): NamespaceWatcher {
  /** Every namespace seen, with its mode (undefined: no valid label). */
  const modes = new Map<string, NamespaceMode | undefined>();
  const nameOf = (object: V1Namespace): string | undefined => {
    const name = object.metadata?.name;
    return typeof name === 'string' && name !== '' ? name : undefined;
  };
  const apply = (object: V1Namespace): void => {
    const name = nameOf(object);
    const labels = object.metadata?.labels;
    if (name !== undefined)
      modes.set(name, modeFromLabels(labels !== null && typeof labels === 'object' ? labels : {}));
  };
  const api = options.kubeConfig.makeApiClient(CoreV1Api);
  const watch = startListWatch<V1Namespace>({
    kubeConfig: options.kubeConfig,
    path: '/api/v1/namespaces',
    what: 'namespace',
    list: (signal) => callWithSignal((callOptions) => api.listNamespace({}, callOptions), signal),
    onList: (items) => {
      modes.clear();
      for (const item of items) apply(item);
    },
    onUpsert: apply,
    onDelete: (object) => {
      const name = nameOf(object);
      if (name !== undefined) modes.delete(name);
    },
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.listTimeoutMs !== undefined ? { listTimeoutMs: options.listTimeoutMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    known: (namespace) => (watch.synced() && modes.has(namespace) ? ANSWERS.get(modes.get(namespace)) : undefined),
    synced: () => watch.synced(),
    stop: () => watch.stop(),
  };
}
