/**
 * Warning Events on Kubernetes objects (core/v1 Event), deduplicated as client-go's EventCorrelator does in short
 * (https://github.com/kubernetes/client-go/blob/master/tools/record/events_cache.go): the first (object, reason,
 * message) creates an Event; a repeat of the same patches that Event's `count` and `lastTimestamp` instead of making a
 * new one; a patch answered 404 (the API server dropped the Event after its TTL) creates a fresh Event. The recent keys
 * live in an LRU of bounded size. An Event's name comes from its key, so a process that did not make it (a new audit
 * leader) finds it on create (409), reads its count and counts on. RBAC: `create`, `get` and `patch` on `events`. Every call resolves with an outcome, never
 * throws; the message is cut to 1 KiB, the limit the API server enforces on an Event's note.
 */
import { createHash } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ReadFailure } from '../credentials/cluster-port.js';
import { isValidPathSegmentName } from '../credentials/object-name.js';
import { createKubeRequest, type KubeRequest } from './kube-request.js';

/** The object an Event is about (`involvedObject`). */
export interface EventTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Absent for a cluster-scoped object; its Events go to `default`, as client-go puts them. */
  readonly namespace?: string;
  readonly uid?: string;
}

export type RecordOutcome =
  | { readonly status: 'created'; readonly name: string }
  | { readonly status: 'updated'; readonly name: string; readonly count: number }
  | { readonly status: 'error'; readonly kind: ReadFailure; readonly detail: string };

export interface EventRecorder {
  /** A `Warning` Event with `reason` and `message` on `target`, or one more count on the same Event. */
  warn(target: EventTarget, reason: string, message: string, signal?: AbortSignal): Promise<RecordOutcome>;
}

export interface EventRecorderOptions {
  readonly kubeConfig: KubeConfig;
  /** `reportingComponent` (default `pullguard`); `source.component` is always `pullguard`. */
  readonly reportingComponent?: string;
  /** `reportingInstance`, e.g. the pod name. */
  readonly reportingInstance?: string;
  /** Recent (object, reason, message) keys kept for deduplication (default 4096). */
  readonly maxKeys?: number;
  /** Ceiling for one API request (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** Milliseconds since the epoch (Date.now by default). */
  readonly now?: () => number;
}

/** The API server's limit on an Event's message (the events.k8s.io `note` validation). */
const MAX_MESSAGE_BYTES = 1024;

interface Recent {
  readonly namespace: string;
  readonly name: string;
  readonly count: number;
}

export function createEventRecorder(options: EventRecorderOptions): EventRecorder {
  const request = createKubeRequest(options.kubeConfig, options.requestTimeoutMs ?? 10_000);
  return eventRecorder(request, options);
}

/** The recorder over any {@link KubeRequest} (the tests count requests with it). */
export function eventRecorder(request: KubeRequest, options: Omit<EventRecorderOptions, 'kubeConfig'>): EventRecorder {
  const maxKeys = Math.max(1, options.maxKeys ?? 4096);
  const now = options.now ?? Date.now;
  const recent = new Map<string, Recent>();
  const busy = new Map<string, Promise<unknown>>();

  const remember = (key: string, entry: Recent): void => {
    recent.delete(key);
    recent.set(key, entry);
    for (const oldest of recent.keys()) {
      if (recent.size <= maxKeys) break;
      recent.delete(oldest);
    }
  };

  /**
   * Creates the Event under a name derived from its key, so that another process recording the same Event (a new
   * audit leader after a failover) meets it (409) and counts on it instead of making a second one.
   */
  const create = async (
    key: string,
    target: EventTarget,
    namespace: string,
    reason: string,
    message: string,
    signal?: AbortSignal,
  ): Promise<RecordOutcome | { readonly status: 'exists'; readonly entry: Recent }> => {
    const stamp = timestamp(now());
    const name = eventName(target.name, key);
    const body = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: target.apiVersion,
        kind: target.kind,
        name: target.name,
        ...(target.namespace !== undefined ? { namespace: target.namespace } : {}),
        ...(target.uid !== undefined ? { uid: target.uid } : {}),
      },
      reason,
      message,
      type: 'Warning',
      source: { component: 'pullguard' },
      reportingComponent: options.reportingComponent ?? 'pullguard',
      ...(options.reportingInstance !== undefined ? { reportingInstance: options.reportingInstance } : {}),
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
    };
    const collection = `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
    const answer = await request('POST', collection, body, undefined, signal);
    if (answer.status === 'conflict') {
      const existing = await request('GET', `${collection}/${encodeURIComponent(name)}`, undefined, undefined, signal);
      if (existing.status !== 'ok')
        return existing.status === 'error' ? existing : { status: 'error', kind: 'invalid', detail: 'HTTP 409' };
      const count = existing.value['count'];
      const entry = { namespace, name, count: typeof count === 'number' && count > 0 ? count : 1 };
      return { status: 'exists', entry };
    }
    if (answer.status === 'not-found')
      return { status: 'error', kind: 'invalid', detail: `namespace ${namespace} not found` };
    if (answer.status === 'error') return answer;
    remember(key, { namespace, name, count: 1 });
    return { status: 'created', name };
  };

  const record = async (
    target: EventTarget,
    reason: string,
    text: string,
    signal?: AbortSignal,
  ): Promise<RecordOutcome> => {
    const problem = targetProblem(target, reason);
    if (problem !== undefined) return { status: 'error', kind: 'invalid', detail: problem };
    const message = cutUtf8(text, MAX_MESSAGE_BYTES);
    const namespace = target.namespace ?? 'default';
    const key = JSON.stringify([
      target.apiVersion,
      target.kind,
      namespace,
      target.name,
      target.uid ?? '',
      reason,
      message,
    ]);
    let seen = recent.get(key);
    if (seen === undefined) {
      const created = await create(key, target, namespace, reason, message, signal);
      if (created.status !== 'exists') return created;
      seen = created.entry;
    }
    const count = seen.count + 1;
    const path = `/api/v1/namespaces/${encodeURIComponent(seen.namespace)}/events/${encodeURIComponent(seen.name)}`;
    const patch = { count, lastTimestamp: timestamp(now()) };
    const answer = await request('PATCH', path, patch, 'application/strategic-merge-patch+json', signal);
    if (answer.status === 'not-found') {
      recent.delete(key);
      const created = await create(key, target, namespace, reason, message, signal);
      return created.status === 'exists' ? { status: 'error', kind: 'invalid', detail: 'HTTP 409' } : created;
    }
    if (answer.status === 'conflict') return { status: 'error', kind: 'invalid', detail: 'HTTP 409' };
    if (answer.status === 'error') return answer;
    remember(key, { ...seen, count });
    return { status: 'updated', name: seen.name, count };
  };

  return {
    // One call per key at a time, so two repeats of the same Event cannot both create it.
    warn: (target, reason, message, signal) => {
      const key = `${target.namespace ?? ''}/${target.kind}/${target.name}`;
      const previous = busy.get(key) ?? Promise.resolve();
      const next = previous.then(() => record(target, reason, message, signal));
      busy.set(key, next);
      void next.finally(() => {
        if (busy.get(key) === next) busy.delete(key);
      });
      return next;
    },
  };
}

function targetProblem(target: EventTarget, reason: string): string | undefined {
  if (!isValidPathSegmentName(target.name)) return 'the object needs a name without "/" or "%"';
  if (target.namespace !== undefined && !isValidPathSegmentName(target.namespace))
    return 'the object namespace must be a name without "/" or "%"';
  if (target.kind === '' || target.apiVersion === '') return 'the object needs a kind and an apiVersion';
  if (!/^[A-Za-z][A-Za-z0-9]{0,127}$/.test(reason)) return 'the reason must be a short UpperCamelCase word';
  return undefined;
}

/** At most `max` bytes of UTF-8, never splitting a character. */
export function cutUtf8(text: string, max: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return text;
  let end = max;
  // Back up over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

/**
 * `<object name>.<16 hex digits of the key's SHA-256>`: one name per (object, reason, message), at most 253
 * characters (a longer object name is cut; the hash keeps names apart).
 */
function eventName(objectName: string, key: string): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `${objectName.slice(0, 253 - 17)}.${hash}`;
}

/** RFC 3339 to the second, as metav1.Time is written. */
function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}
