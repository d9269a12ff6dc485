/**
 * The continuous audit's view of the cluster's workloads: one list + watch per resource over all namespaces
 * (list-watch.ts, which keeps its stop and backoff guarantees), so the cluster is listed once, not per audit cycle.
 * Objects are kept lean (lean-object.ts), keyed by resource, namespace and name, at most `maxObjects` overall (past
 * that they are counted, logged once, and not kept). Listeners hear of changes at most once per `debounceMs`.
 * A resource whose list is forbidden (`403`) is recorded, logged once, and retried after the normal backoff (up to
 * 5 min); a resource the API server does not serve (`404`: a CRD not installed) is dropped quietly.
 * RBAC: `list` and `watch` on every resource.
 */
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { WorkloadObject } from '../audit/inventory.js';
import { PullguardError } from '../errors/pullguard-error.js';
import { createKubeRequest } from './kube-request.js';
import { leanObject } from './lean-object.js';
import { listPages, type PagedList } from './list-pages.js';
import { startListWatch, type ErrorVerdict, type RunningListWatch, type WatcherLog } from './list-watch.js';
import { collectionPath, resourceName, type WorkloadResource } from './workload-resources.js';

export interface WorkloadInformersOptions {
  readonly kubeConfig: KubeConfig;
  readonly resources: readonly WorkloadResource[];
  readonly log: WatcherLog;
  /** Ceiling of one list page request (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Ceiling of one whole list, every page (default 5 min). */
  readonly listTimeoutMs?: number;
  /** At most this many objects kept overall (default 50 000). */
  readonly maxObjects?: number;
  /** Listeners are called at most once per this many ms (default 1 s). */
  readonly debounceMs?: number;
  /** Delay before a failed list or watch is retried: doubles from `initialMs` up to `maxMs`. Default 1 s → 5 min. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Items asked for per list page (default 500). */
  readonly pageSize?: number;
}

export interface WorkloadInformers {
  /** Every object kept now (a live view: iterate it at once). */
  objects(): Iterable<WorkloadObject>;
  /** True once every resource has listed once, or is forbidden, or is not served. */
  synced(): boolean;
  /** Resources whose list or watch the API server refused, until a list or a watch succeeds. */
  forbidden(): readonly WorkloadResource[];
  /** Resources the API server does not serve (`404`: a CRD not installed); their informers have stopped. */
  notServed(): readonly WorkloadResource[];
  /** True when more objects exist than `maxObjects`: the rest are not kept. */
  capped(): boolean;
  /** Called (debounced) after a list or watch event changed the objects. */
  onChange(listener: () => void): void;
  /** Stops every list and watch and the pending listener call. Idempotent. */
  stop(): Promise<void>;
}

/** A failed list, as list-watch.ts hands it to `onError`. */
class ListFailure extends PullguardError {
  constructor(readonly result: Exclude<PagedList, { status: 'ok' }>) {
    super('PG_KUBE_UNREADABLE', result.status === 'not-found' ? 'HTTP 404' : `${result.kind}: ${result.detail}`);
  }
}

interface State {
  readonly resource: WorkloadResource;
  readonly objects: Map<string, WorkloadObject>;
  listed: boolean;
  forbidden: boolean;
  notServed: boolean;
}

export function startWorkloadInformers(options: WorkloadInformersOptions): WorkloadInformers {
  const { log } = options;
  const request = createKubeRequest(options.kubeConfig, options.requestTimeoutMs ?? 30_000);
  const maxObjects = options.maxObjects ?? 50_000;
  const debounceMs = options.debounceMs ?? 1_000;
  const listeners: (() => void)[] = [];
  let kept = 0;
  let overflow = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lastCall = Number.NEGATIVE_INFINITY;

  const callListeners = (): void => {
    timer = undefined;
    lastCall = Date.now();
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        log.warn({ error: error instanceof Error ? error.name : typeof error }, 'workload change listener failed');
      }
    }
  };
  const changed = (): void => {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(callListeners, Math.max(0, lastCall + debounceMs - Date.now()));
    timer.unref();
  };

  const keyOf = (object: unknown): string | undefined => {
    const metadata = (object as KubernetesObject | undefined)?.metadata;
    const name = metadata?.name;
    return typeof name === 'string' && name !== '' ? `${metadata?.namespace ?? ''}/${name}` : undefined;
  };
  const keep = (state: State, object: unknown): boolean => {
    const key = keyOf(object);
    if (key === undefined) return false;
    const { group, version, kind } = state.resource;
    const entry = Object.freeze({ group, version, kind, object });
    if (state.objects.has(key)) {
      state.objects.set(key, entry);
      return true;
    }
    if (kept >= maxObjects) {
      if (overflow++ === 0) log.warn({ maxObjects }, 'too many workload objects; the rest are not audited');
      return false;
    }
    state.objects.set(key, entry);
    kept++;
    return true;
  };
  const drop = (state: State, object: unknown): boolean => {
    const key = keyOf(object);
    if (key === undefined || !state.objects.delete(key)) return false;
    kept--;
    return true;
  };
  /** Lean, and only a name for an object that will not be kept: ListWatch's own cache stays small too. */
  const transform = (state: State) => (object: KubernetesObject) => {
    const key = keyOf(object);
    if (kept < maxObjects || (key !== undefined && state.objects.has(key)))
      return leanObject(object) as KubernetesObject;
    const { name, namespace, resourceVersion } = object.metadata ?? {};
    return { metadata: { name, namespace, resourceVersion } } as KubernetesObject;
  };

  const onError =
    (state: State) =>
    (error: unknown): ErrorVerdict => {
      const status = failureStatus(error);
      const name = resourceName(state.resource);
      if (status === 404) {
        state.notServed = true;
        changed();
        return 'stop';
      }
      if (status !== 403 && status !== 401) return 'retry';
      if (!state.forbidden) {
        state.forbidden = true;
        log.warn({ resource: name, verbs: ['list', 'watch'] }, 'workload list or watch forbidden; not audited');
        changed();
      }
      return 'retry-quietly';
    };

  const startOne = (state: State): RunningListWatch => {
    const path = collectionPath(state.resource);
    const lean = transform(state);
    return startListWatch<KubernetesObject>({
      kubeConfig: options.kubeConfig,
      path,
      what: 'workload',
      logDetails: { resource: resourceName(state.resource) },
      list: async (signal): Promise<KubernetesListObject<KubernetesObject>> => {
        const items: KubernetesObject[] = [];
        const result = await listPages(request, path, {
          signal,
          ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
          take: (item) => items.push(lean(item as KubernetesObject)) > 0,
        });
        if (result.status !== 'ok') throw new ListFailure(result);
        return { metadata: { resourceVersion: result.resourceVersion }, items };
      },
      transform: lean,
      onList: (items) => {
        kept -= state.objects.size;
        state.objects.clear();
        for (const item of items) keep(state, item);
        state.listed = true;
        state.forbidden = false;
        changed();
      },
      onUpsert: (object) => {
        if (keep(state, object)) changed();
      },
      onDelete: (object) => {
        if (drop(state, object)) changed();
      },
      onError: onError(state),
      onWatching: () => {
        if (state.forbidden) {
          state.forbidden = false;
          changed();
        }
      },
      backoff: options.backoff ?? { initialMs: 1_000, maxMs: 300_000 },
      listTimeoutMs: options.listTimeoutMs ?? 300_000,
      log,
    });
  };

  const states: State[] = options.resources.map((resource) => ({
    resource,
    objects: new Map(),
    listed: false,
    forbidden: false,
    notServed: false,
  }));
  const watches = states.map(startOne);

  return {
    *objects() {
      for (const state of states) yield* state.objects.values();
    },
    synced: () => states.every((s) => s.listed || s.forbidden || s.notServed),
    forbidden: () => states.filter((s) => s.forbidden).map((s) => s.resource),
    notServed: () => states.filter((s) => s.notServed).map((s) => s.resource),
    capped: () => overflow > 0,
    onChange: (listener) => void listeners.push(listener),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await Promise.all(watches.map((watch) => watch.stop()));
    },
  };
}

/** The HTTP status a failed list (ListFailure) or a refused watch (client-node's `statusCode`) carries. */
function failureStatus(error: unknown): number | undefined {
  if (error instanceof ListFailure) {
    const { result } = error;
    if (result.status === 'not-found') return 404;
    return result.kind === 'forbidden' ? 403 : undefined;
  }
  const code: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'statusCode') : undefined;
  return typeof code === 'number' ? code : undefined;
}
