/**
 * Keeps the cluster's Nodes in memory (list + watch) so the platform check knows which platforms pods can land on
 * (SPEC §1.3). RBAC: `list`/`watch` on nodes.
 *
 * Built on client-node's `ListWatch` (what `makeInformer` returns), constructed directly for two reasons:
 * - its reconnect delay must be unref'd and must never fire after `stop()` (the default `timers/promises`
 *   delay keeps the process alive for up to 30 s and then opens a watch nobody stops);
 * - a watch that finishes connecting after `stop()` must be aborted, which needs a hook on `Watch`.
 * `ListWatch` gives up after an error (failed list, watch refused): the watcher restarts it after a backoff.
 * The last known nodes stay available meanwhile: stale nodes beat no nodes.
 */
import { CoreV1Api, ListWatch, Watch, type KubeConfig, type V1Node, type V1NodeList } from '@kubernetes/client-node';
import Type, { type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { NodeInfo } from '../platform/candidate-platforms.js';
import { nodePlatform } from '../platform/node-platform.js';
import type { Taint } from '../platform/tolerations.js';

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
  readonly log?: NodeWatcherLog;
  /** Called after the set of nodes changed (list applied, node added, updated or removed). */
  readonly onChange?: () => void;
}

const Maybe = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

const NodeSchema = Type.Object({
  metadata: Type.Object({
    name: Type.String({ minLength: 1 }),
    labels: Maybe(Type.Record(Type.String(), Type.String())),
  }),
  spec: Maybe(
    Type.Object({
      unschedulable: Maybe(Type.Boolean()),
      taints: Maybe(Type.Array(Type.Object({ key: Type.String(), value: Maybe(Type.String()), effect: Type.String() }))),
    }),
  ),
  status: Maybe(
    Type.Object({
      nodeInfo: Maybe(Type.Object({ operatingSystem: Maybe(Type.String()), architecture: Maybe(Type.String()) })),
    }),
  ),
});
const nodeValidator = Compile(NodeSchema);

/**
 * A Node object (from a list or a watch event; untrusted) as a {@link NodeInfo}; undefined when it does not have
 * the shape of a Node or does not say its platform.
 */
export function nodeInfoFromObject(object: unknown): NodeInfo | undefined {
  if (!nodeValidator.Check(object)) return undefined;
  const labels: Record<string, string> = Object.fromEntries(Object.entries(object.metadata.labels ?? {}));
  const nodeInfo = object.status?.nodeInfo;
  const platform = nodePlatform({
    labels,
    ...(nodeInfo?.operatingSystem ? { operatingSystem: nodeInfo.operatingSystem } : {}),
    ...(nodeInfo?.architecture ? { architecture: nodeInfo.architecture } : {}),
  });
  if (!platform) return undefined;
  const taints: Taint[] = (object.spec?.taints ?? []).map((t) =>
    t.value == null ? { key: t.key, effect: t.effect } : { key: t.key, value: t.value, effect: t.effect },
  );
  const info: NodeInfo = { name: object.metadata.name, labels, taints, platform };
  return Object.freeze(object.spec?.unschedulable ? { ...info, unschedulable: true } : info);
}

/** The name of a Node-like object, for deletes and log lines, without trusting its shape. */
function objectName(object: unknown): string | undefined {
  if (typeof object !== 'object' || object === null || !('metadata' in object)) return undefined;
  const metadata: unknown = object.metadata;
  if (typeof metadata !== 'object' || metadata === null || !('name' in metadata)) return undefined;
  return typeof metadata.name === 'string' ? metadata.name : undefined;
}

/** Starts listing and watching Nodes. Never throws; failures are logged and retried. */
export function startNodeWatcher(options: NodeWatcherOptions): NodeWatcher {
  const backoff = options.backoff ?? { initialMs: 1_000, maxMs: 30_000 };
  const log = options.log;
  const byName = new Map<string, NodeInfo>();
  const timers = new Set<NodeJS.Timeout>();
  const watches = new Set<AbortController>();
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
    byName.set(name, info);
    retryDelayMs = backoff.initialMs; // events flow: the connection is healthy
    changed();
  };
  const remove = (object: unknown): void => {
    const name = objectName(object);
    if (name !== undefined && byName.delete(name)) changed();
  };

  const api = options.kubeConfig.makeApiClient(CoreV1Api);
  const listNodes = async (): Promise<V1NodeList> => {
    const list = await api.listNode();
    // Stopped meanwhile: never hand the list over, so ListWatch opens no watch.
    if (stopped) return new Promise<V1NodeList>(() => {});
    // Replace the whole map here; ListWatch's add/delete callbacks that follow are idempotent.
    byName.clear();
    for (const item of list.items) {
      const info = nodeInfoFromObject(item);
      if (info) byName.set(info.name, info);
    }
    isSynced = true;
    retryDelayMs = backoff.initialMs;
    changed();
    return list;
  };

  class StoppableWatch extends Watch {
    override async watch(...args: Parameters<Watch['watch']>): Promise<AbortController> {
      const controller = await super.watch(...args);
      if (stopped) controller.abort();
      else {
        watches.add(controller);
        controller.signal.addEventListener('abort', () => watches.delete(controller), { once: true });
      }
      return controller;
    }
  }

  const informer = new ListWatch<V1Node>(
    '/api/v1/nodes',
    new StoppableWatch(options.kubeConfig),
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
      for (const controller of watches) controller.abort();
      watches.clear();
      await informer.stop();
    },
  };
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
