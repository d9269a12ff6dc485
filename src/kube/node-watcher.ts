/**
 * Keeps the cluster's Nodes in memory (list + watch) so the platform check knows which platforms pods can land on
 * (SPEC §1.3). RBAC: `list`/`watch` on nodes.
 *
 * Built on client-node's `ListWatch` (what `makeInformer` returns), constructed directly for two reasons:
 * - its reconnect delay must be unref'd and must never fire after `stop()` (the default `timers/promises`
 *   delay keeps the process alive for up to 30 s and then opens a watch nobody stops);
 * - a watch still connecting at `stop()` must be aborted, and ListWatch has no handle on it yet: the watch's
 *   kubeconfig is wrapped to keep the request's dispatcher, which `stop()` destroys.
 * `ListWatch` gives up after an error (failed list, watch refused): the watcher restarts it after a backoff.
 * The last known nodes stay available meanwhile: stale nodes beat no nodes.
 */
import {
  CoreV1Api,
  ListWatch,
  Watch,
  type KubeConfig,
  type RequestContext,
  type V1Node,
  type V1NodeList,
} from '@kubernetes/client-node';
import type { Dispatcher } from 'undici';
import type { NodeInfo } from '../platform/candidate-platforms.js';
import { nodeInfoFromObject, objectName } from '../platform/node-info.js';
import { linkedDeadline } from '../runtime/linked-deadline.js';
import { callWithSignal } from './cluster-reader.js';

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
export interface NodeWatcherLog {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

export interface NodeWatcherOptions {
  readonly kubeConfig: KubeConfig;
  /** Delay before restarting after an error: doubles from `initialMs` up to `maxMs`. Default 1 s → 30 s. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** A list that takes longer fails and is retried (a hung list would otherwise stall the watcher). Default 30 s. */
  readonly listTimeoutMs?: number;
  readonly log?: NodeWatcherLog;
  /** Called after the set of nodes changed (list applied, node added, updated or removed). */
  readonly onChange?: () => void;
}

/** Starts listing and watching Nodes. Never throws; failures are logged and retried. */
export function startNodeWatcher(options: NodeWatcherOptions): NodeWatcher {
  const backoff = options.backoff ?? { initialMs: 1_000, maxMs: 30_000 };
  const log = options.log;
  const byName = new Map<string, NodeInfo>();
  const timers = new Set<NodeJS.Timeout>();
  /** The undici dispatcher of the current watch request (client-node makes one per request). */
  let watchDispatcher: Dispatcher | undefined;
  let snapshot: readonly NodeInfo[] | undefined;
  let isSynced = false;
  let stopped = false;
  let retryDelayMs = backoff.initialMs;
  let restartPending = false;

  const changed = (): void => {
    snapshot = undefined;
    options.onChange?.();
  };
  /** Resolves after `ms`, unless stopped first: then never (a pending promise holds no handle). */
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!stopped) resolve();
      }, ms);
      timer.unref();
      timers.add(timer);
    });

  const apply = (object: unknown): void => {
    const info = nodeInfoFromObject(object);
    const name = info?.name ?? objectName(object);
    if (name === undefined) return log?.warn({ kind: 'Node' }, 'ignored a node object without a name');
    if (!info) {
      log?.warn({ node: name }, 'ignored a node whose platform is unknown');
      if (byName.delete(name)) changed();
      return;
    }
    retryDelayMs = backoff.initialMs; // events flow: the connection is healthy
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
  const listNodes = async (): Promise<V1NodeList> => {
    const ms = options.listTimeoutMs ?? 30_000;
    const deadline = linkedDeadline(undefined, ms, `node list timed out after ${ms} ms`);
    let list: V1NodeList;
    try {
      list = await callWithSignal((callOptions) => api.listNode({}, callOptions), deadline.signal);
    } finally {
      deadline.release();
    }
    // Stopped meanwhile: never hand the list over, so ListWatch opens no watch.
    if (stopped) return new Promise<V1NodeList>(() => {});
    // Replace the whole map here; ListWatch's add/delete callbacks that follow are idempotent.
    byName.clear();
    for (const item of list.items) {
      const info = nodeInfoFromObject(item);
      if (info) byName.set(info.name, info);
    }
    if (!isSynced) log?.info({ nodes: byName.size }, 'node list synced');
    isSynced = true;
    retryDelayMs = backoff.initialMs;
    changed();
    return list;
  };

  const informer = new ListWatch<V1Node>(
    '/api/v1/nodes',
    new Watch(stoppableConfig(options.kubeConfig, () => stopped, (d) => (watchDispatcher = d))),
    listNodes,
    false,
    undefined,
    undefined,
    { delayFn: sleep },
  );
  informer.on('add', apply);
  informer.on('update', apply);
  informer.on('delete', remove);

  const restartLater = (error: unknown): void => {
    if (stopped || restartPending) return;
    restartPending = true;
    const delayMs = retryDelayMs;
    retryDelayMs = Math.min(retryDelayMs * 2, backoff.maxMs);
    log?.warn({ error: describeError(error), retryInMs: delayMs }, 'node watch failed; retrying');
    void sleep(delayMs).then(() => {
      restartPending = false;
      start();
    });
  };
  const start = (): void => {
    informer.start().catch(restartLater);
  };
  informer.on('error', restartLater);
  start();

  return {
    nodes: () => (snapshot ??= Object.freeze([...byName.values()])),
    synced: () => isSynced,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await informer.stop();
      // Aborts a watch request still connecting, which ListWatch cannot reach yet.
      await watchDispatcher?.destroy().catch(() => {});
    },
  };
}

/**
 * The kubeconfig as the watch sees it: the same, except that each watch request's dispatcher is handed to
 * `track` (closing the previous one, whose watch has ended), and is destroyed at once when the watcher has
 * stopped, so a watch that starts late fails fast instead of staying open.
 */
function stoppableConfig(
  kubeConfig: KubeConfig,
  isStopped: () => boolean,
  track: (dispatcher: Dispatcher | undefined) => void,
): KubeConfig {
  let previous: Dispatcher | undefined;
  const applySecurityAuthentication = async (context: RequestContext): Promise<void> => {
    await kubeConfig.applySecurityAuthentication(context);
    const dispatcher = context.getDispatcher();
    void previous?.close().catch(() => {});
    previous = dispatcher;
    track(dispatcher);
    if (isStopped()) await dispatcher?.destroy().catch(() => {});
  };
  return new Proxy(kubeConfig, {
    get(target, property) {
      if (property === 'applySecurityAuthentication') return applySecurityAuthentication;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A log-safe description of a list/watch failure: a status code and a first message line, never a body. */
function describeError(error: unknown): { code?: number | string; message: string } {
  const text = error instanceof Error ? error.message : String(error);
  const message = (text.split('\n')[0] ?? '').slice(0, 200);
  const code = errorCode(error);
  return code === undefined ? { message } : { code, message };
}

/** `statusCode` (Watch) or `code` (ApiException, system errors), when the error carries one. */
function errorCode(error: unknown): number | string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  for (const key of ['statusCode', 'code']) {
    const value: unknown = Reflect.get(error, key);
    if (typeof value === 'number' || typeof value === 'string') return value;
  }
  return undefined;
}
