/**
 * Keeps one kind of cluster object in memory (list + watch), for the node watcher, the namespace watcher and the
 * workload informers: the caller gives the list call and the collection's path, so any resource fits.
 *
 * Built on client-node's `ListWatch` (what `makeInformer` returns), constructed directly for two reasons:
 * - its reconnect delay must be unref'd and must never fire after `stop()` (the default `timers/promises`
 *   delay keeps the process alive for up to 30 s and then opens a watch nobody stops);
 * - a watch still connecting at `stop()` must be aborted, and ListWatch has no handle on it yet: the watch's
 *   kubeconfig is wrapped to keep the request's dispatcher, which `stop()` destroys.
 * `ListWatch` gives up after an error (failed list, watch refused): this restarts it after a backoff. The last
 * known objects stay with the caller meanwhile: stale beats nothing. The caller may cut every object down before it is
 * kept (`transform`, also applied to ListWatch's own cache) and may stop the retries for an error it knows is final.
 */
import { ListWatch, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Dispatcher } from 'undici';
import { linkedDeadline } from '../runtime/linked-deadline.js';
import { ObservedWatch, stoppableConfig } from './observed-watch.js';

/** The logger calls a watcher makes (a pino logger fits). Messages are static; details go in the object. */
export interface WatcherLog {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

/** What to do after a failed list or watch: retry after the backoff (with or without a log line), or stop for good. */
export type ErrorVerdict = 'retry' | 'retry-quietly' | 'stop';

export interface ListWatchOptions<T extends KubernetesObject> {
  readonly kubeConfig: KubeConfig;
  /** The collection's API path, e.g. `/api/v1/nodes`. */
  readonly path: string;
  /** The kind in log messages (`node watch failed; retrying`). */
  readonly what: string;
  /** Added to every log line's details (e.g. which resource, when `what` names a family of them). */
  readonly logDetails?: object;
  /** One list of the whole collection, bounded by `signal` (the list timeout). */
  readonly list: (signal: AbortSignal) => Promise<KubernetesListObject<T>>;
  /** Applied to every listed and watched object before anyone keeps it (default: kept as is). */
  readonly transform?: (object: T) => T;
  /** Called each time a watch request has been accepted (the API server answered 200). */
  readonly onWatching?: () => void;
  /** Decides what follows a failed list or watch (default: retry, logged). */
  readonly onError?: (error: unknown) => ErrorVerdict;
  /** A full list arrived: it replaces everything known (the add/update events that follow are idempotent). */
  readonly onList: (items: readonly T[]) => void;
  /** An object was added or changed. */
  readonly onUpsert: (object: T) => void;
  readonly onDelete: (object: T) => void;
  /** Delay before restarting after an error: doubles from `initialMs` up to `maxMs`. Default 1 s → 30 s. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** A list that takes longer fails and is retried (a hung list would otherwise stall the watcher). Default 30 s. */
  readonly listTimeoutMs?: number;
  readonly log?: WatcherLog;
  /** The timers of the retry backoff; Node's by default (a test injects its own to see what is still scheduled). */
  readonly timers?: BackoffTimers;
}

export interface BackoffTimers {
  setTimeout(callback: () => void, ms: number): NodeJS.Timeout;
  clearTimeout(timer: NodeJS.Timeout): void;
}

const NODE_TIMERS: BackoffTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer),
};

export interface RunningListWatch {
  /** True once a first list has been applied; stays true across reconnects. */
  synced(): boolean;
  /** Stops watching and cancels pending retries. Idempotent. */
  stop(): Promise<void>;
}

/** Starts listing and watching. Never throws; failures are logged and retried. */
export function startListWatch<T extends KubernetesObject>(options: ListWatchOptions<T>): RunningListWatch {
  const backoff = options.backoff ?? { initialMs: 1_000, maxMs: 30_000 };
  const { log, what } = options;
  const details = options.logDetails ?? {};
  const clock = options.timers ?? NODE_TIMERS;
  const timers = new Set<NodeJS.Timeout>();
  /** The undici dispatcher of the current watch request (client-node makes one per request). */
  let watchDispatcher: Dispatcher | undefined;
  let isSynced = false;
  let stopped = false;
  let retryDelayMs = backoff.initialMs;
  let restartPending = false;

  /** Resolves after `ms`, unless stopped first: then never (a pending promise holds no handle). */
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = clock.setTimeout(() => {
        timers.delete(timer);
        if (!stopped) resolve();
      }, ms);
      timer.unref();
      timers.add(timer);
    });

  const transform = options.transform;
  const list = async (): Promise<KubernetesListObject<T>> => {
    const ms = options.listTimeoutMs ?? 30_000;
    const deadline = linkedDeadline(undefined, ms, `${what} list timed out after ${ms} ms`);
    let result: KubernetesListObject<T>;
    try {
      result = await options.list(deadline.signal);
    } finally {
      deadline.release();
    }
    // Stopped meanwhile: never hand the list over, so ListWatch opens no watch.
    if (stopped) return new Promise(() => {});
    if (transform !== undefined) result = { ...result, items: result.items.map(transform) };
    options.onList(result.items);
    if (!isSynced) log?.info({ ...details, objects: result.items.length }, `${what} list synced`);
    isSynced = true;
    retryDelayMs = backoff.initialMs;
    return result;
  };

  const config = stoppableConfig(
    options.kubeConfig,
    () => stopped,
    (d) => (watchDispatcher = d),
  );
  const informer = new ListWatch<T>(
    options.path,
    new ObservedWatch(config, transform, options.onWatching),
    list,
    false,
    undefined,
    undefined,
    { delayFn: sleep },
  );
  const upsert = (object: T): void => {
    retryDelayMs = backoff.initialMs; // events flow: the connection is healthy
    options.onUpsert(object);
  };
  informer.on('add', upsert);
  informer.on('update', upsert);
  informer.on('delete', options.onDelete);

  const halt = async (): Promise<void> => {
    stopped = true;
    for (const timer of timers) clock.clearTimeout(timer);
    timers.clear();
    await informer.stop();
    // Aborts a watch request still connecting, which ListWatch cannot reach yet.
    await watchDispatcher?.destroy().catch(() => {});
  };
  const restartLater = (error: unknown): void => {
    if (stopped || restartPending) return;
    const verdict = options.onError?.(error) ?? 'retry';
    if (verdict === 'stop') return void halt();
    restartPending = true;
    const delayMs = retryDelayMs;
    retryDelayMs = Math.min(retryDelayMs * 2, backoff.maxMs);
    if (verdict === 'retry')
      log?.warn({ ...details, error: describeError(error), retryInMs: delayMs }, `${what} watch failed; retrying`);
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
    synced: () => isSynced,
    async stop() {
      if (!stopped) await halt();
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
