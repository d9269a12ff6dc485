/**
 * In-memory objects of the fake API with resourceVersions, lists and watch streams (newline-delimited watch events,
 * replayed from `resourceVersion` so an informer's list-then-watch sees every change).
 */
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { continueToken, matches, type ListQuery } from './list-query.js';
import { resourceType, type ResourceType } from './resources.js';

export interface KubeObject {
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

interface WatchEvent {
  readonly plural: string;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: KubeObject;
  readonly resourceVersion: number;
}

interface Watcher {
  readonly plural: string;
  /** The watch's namespace and label selector: only matching objects are sent. */
  readonly wants: (object: KubeObject) => boolean;
  readonly res: ServerResponse;
  readonly timer?: NodeJS.Timeout;
}

export class KubeStore {
  private resourceVersion = 1;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly events: WatchEvent[] = [];
  private readonly watchers = new Set<Watcher>();

  /** `typeOf` names each store key's group version and kind (the built-ins by default). */
  constructor(private readonly typeOf: (key: string) => ResourceType | undefined = resourceType) {}

  put(plural: string, input: KubeObject): void {
    const name = input.metadata?.name;
    if (typeof name !== 'string' || name === '')
      throw new Error(`fake kube API: a ${plural} object needs metadata.name`);
    const namespace = input.metadata?.namespace;
    const bucket = this.bucket(plural);
    const key = keyOf(namespace, name);
    const existing = bucket.get(key);
    const version = ++this.resourceVersion;
    const object: KubeObject = {
      ...input,
      apiVersion: this.typeOf(plural)?.apiVersion ?? 'v1',
      kind: this.typeOf(plural)?.kind ?? plural,
      metadata: {
        uid: (existing?.metadata?.['uid'] as string | undefined) ?? randomUUID(),
        creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        ...input.metadata,
        resourceVersion: String(version),
      },
    };
    bucket.set(key, object);
    this.emit({ plural, type: existing === undefined ? 'ADDED' : 'MODIFIED', object, resourceVersion: version });
  }

  remove(plural: string, namespace: string | undefined, name: string): void {
    const bucket = this.bucket(plural);
    const existing = bucket.get(keyOf(namespace, name));
    if (existing === undefined) return;
    bucket.delete(keyOf(namespace, name));
    const version = ++this.resourceVersion;
    const object = { ...existing, metadata: { ...existing.metadata, resourceVersion: String(version) } };
    this.emit({ plural, type: 'DELETED', object, resourceVersion: version });
  }

  get(plural: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.bucket(plural).get(keyOf(namespace, name));
  }

  /** One page of the list, in (namespace, name) order, with `continue` and `remainingItemCount` when more remain. */
  list(plural: string, namespace: string | undefined, query?: ListQuery): object {
    const all = [...this.bucket(plural).entries()]
      .filter(([, o]) => namespace === undefined || o.metadata?.namespace === namespace)
      .filter(([, o]) => query === undefined || matches(query, o))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => o);
    const start = query?.start ?? 0;
    const end = query?.limit === undefined ? all.length : Math.min(all.length, start + query.limit);
    const more = end < all.length;
    return {
      apiVersion: this.typeOf(plural)?.apiVersion ?? 'v1',
      kind: `${this.typeOf(plural)?.kind ?? plural}List`,
      metadata: {
        resourceVersion: String(this.resourceVersion),
        ...(more ? { continue: continueToken(end), remainingItemCount: all.length - end } : {}),
      },
      items: all.slice(start, end),
    };
  }

  /**
   * Streams watch events from `resourceVersion` (or ADDED for everything when absent/0) until closed, of objects in
   * `namespace` (all when undefined) that match the query's `labelSelector`.
   */
  watch(
    plural: string,
    namespace: string | undefined,
    query: ListQuery,
    params: URLSearchParams,
    res: ServerResponse,
  ): void {
    const wants = (object: KubeObject): boolean =>
      (namespace === undefined || object.metadata?.namespace === namespace) && matches(query, object);
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // Like the real server, answer the headers at once: a client's fetch resolves only then.
    res.flushHeaders();
    const since = Number(params.get('resourceVersion') ?? '0');
    if (since > 0) {
      for (const event of this.events) {
        if (event.plural === plural && event.resourceVersion > since && wants(event.object)) write(res, event);
      }
    } else {
      for (const object of this.bucket(plural).values())
        if (wants(object)) write(res, { plural, type: 'ADDED', object, resourceVersion: 0 });
    }
    const seconds = Number(params.get('timeoutSeconds') ?? '0');
    const timer = seconds > 0 ? setTimeout(() => res.end(), seconds * 1000).unref() : undefined;
    const watcher: Watcher = { plural, wants, res, ...(timer !== undefined ? { timer } : {}) };
    this.watchers.add(watcher);
    res.on('close', () => {
      if (watcher.timer !== undefined) clearTimeout(watcher.timer);
      this.watchers.delete(watcher);
    });
  }

  openWatches(): number {
    return this.watchers.size;
  }

  closeWatches(): void {
    for (const watcher of this.watchers) {
      if (watcher.timer !== undefined) clearTimeout(watcher.timer);
      watcher.res.destroy();
    }
    this.watchers.clear();
  }

  private emit(event: WatchEvent): void {
    this.events.push(event);
    for (const watcher of this.watchers)
      if (watcher.plural === event.plural && watcher.wants(event.object)) write(watcher.res, event);
  }

  private bucket(plural: string): Map<string, KubeObject> {
    let bucket = this.objects.get(plural);
    if (bucket === undefined) {
      bucket = new Map();
      this.objects.set(plural, bucket);
    }
    return bucket;
  }
}

function keyOf(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function write(res: ServerResponse, event: WatchEvent): void {
  if (!res.writableEnded && !res.destroyed)
    res.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`);
}
