/**
 * The {@link DiagnoseCluster} port over client-node: read-only GETs whose answers come back as the API server's own
 * JSON (field names and string timestamps as on the wire, which the diagnose readers validate), not as client-node's
 * model classes. Requests go through client-node's authentication (`applySecurityAuthentication`: TLS, token, exec
 * plugins) and its fetch; failures are classified by {@link classifyKubeError} and never rethrown. Each request is
 * bounded by the caller's signal and a request timeout; lists are read in pages (`limit`, `continue`,
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks) and paging
 * stops once the diagnose readers' cap is passed. A name that is not a valid path segment is answered "not found"
 * without a request, as in cluster-reader.ts.
 */
import { ApiException, HttpMethod, IsomorphicFetchHttpLibrary, RequestContext } from '@kubernetes/client-node';
import type { DiagnoseCluster, PodRef, ReadResult } from '../diagnose/cluster-port.js';
import { MAX_ITEMS, type WorkloadKind } from '../diagnose/current-pods.js';
import { MAX_PODS } from '../diagnose/failing-containers.js';
import { MAX_EVENTS } from '../diagnose/pull-events.js';
import { isValidPathSegmentName } from '../credentials/object-name.js';
import { linkedDeadline } from '../runtime/linked-deadline.js';
import { classifyKubeError } from './api-error.js';
import type { KubeAccess } from './kube-config.js';
import { readBoundedJson } from './bounded-body.js';

export interface DiagnoseReaderOptions {
  /** Ceiling for one API request (one page of a list), whatever the caller's deadline (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** Items asked for per page (default 500). */
  readonly pageSize?: number;
}

/** Where each workload kind lives (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/). */
const WORKLOAD_PATHS: Readonly<Record<WorkloadKind, string>> = {
  deployment: '/apis/apps/v1/namespaces/{ns}/deployments',
  statefulset: '/apis/apps/v1/namespaces/{ns}/statefulsets',
  daemonset: '/apis/apps/v1/namespaces/{ns}/daemonsets',
  replicaset: '/apis/apps/v1/namespaces/{ns}/replicasets',
  job: '/apis/batch/v1/namespaces/{ns}/jobs',
  cronjob: '/apis/batch/v1/namespaces/{ns}/cronjobs',
};

const NOT_FOUND: ReadResult<never> = Object.freeze({ status: 'not-found' });
/** An object uid as the API server makes them (a UUID); anything else is left out of a selector. */
const UID = /^[A-Za-z0-9-]{1,64}$/;

export function createDiagnoseReader(kube: KubeAccess, options: DiagnoseReaderOptions = {}): DiagnoseCluster {
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const pageSize = options.pageSize ?? 500;
  const http = new IsomorphicFetchHttpLibrary();
  const server = kube.server.replace(/\/+$/, '');

  /** One GET; the body as JSON, or the classified failure. */
  const getJson = async (path: string, query: Record<string, string>, signal: AbortSignal) => {
    const deadline = linkedDeadline(signal, timeoutMs, 'Kubernetes API request timed out');
    try {
      if (deadline.signal.aborted) return classifyKubeError(deadline.signal.reason, deadline.signal);
      const context = new RequestContext(`${server}${path}`, HttpMethod.GET);
      for (const [name, value] of Object.entries(query)) context.setQueryParam(name, value);
      context.setHeaderParam('Accept', 'application/json');
      await kube.kubeConfig.applySecurityAuthentication(context);
      context.setSignal(deadline.signal);
      const response = await http.send(context).toPromise();
      if (response.httpStatusCode !== 200) {
        // The body is dropped unread: only the status is kept (api-error.ts).
        await response.body.stream()?.cancel();
        throw new ApiException(response.httpStatusCode, `HTTP ${response.httpStatusCode}`, undefined, {});
      }
      const body = await readBoundedJson(response.body.stream(), deadline.signal);
      if (body === undefined) return { status: 'error', kind: 'invalid', detail: 'unreadable response' } as const;
      return { status: 'found', value: body } as const;
    } catch (error) {
      return classifyKubeError(error, deadline.signal);
    } finally {
      deadline.release();
    }
  };

  const get = async (segments: readonly string[], path: string, signal: AbortSignal): Promise<ReadResult<unknown>> => {
    if (!segments.every(isValidPathSegmentName)) return NOT_FOUND;
    const result = await getJson(path, {}, signal);
    if (result.status !== 'found' || isObject(result.value)) return result;
    return { status: 'error', kind: 'invalid', detail: 'not an object' };
  };

  /** Every page of a list, up to one item past `cap` (so the reader can tell the list was cut). */
  const list = async (
    path: string,
    query: Record<string, string>,
    cap: number,
    signal: AbortSignal,
  ): Promise<ReadResult<unknown>> => {
    const items: unknown[] = [];
    let head: Record<string, unknown> = {};
    let token: string | undefined;
    for (let page = 0; page === 0 || token !== undefined; page++) {
      const limit = String(pageSize);
      const result = await getJson(
        path,
        { ...query, limit, ...(token !== undefined ? { continue: token } : {}) },
        signal,
      );
      if (result.status !== 'found') return result;
      const body = result.value;
      if (!isObject(body) || !Array.isArray(body['items']))
        return { status: 'error', kind: 'invalid', detail: 'not a list: no items array' };
      if (page === 0) head = body;
      items.push(...(body['items'] as unknown[]));
      const next = isObject(body['metadata']) ? body['metadata']['continue'] : undefined;
      token = typeof next === 'string' && next !== '' && items.length <= cap ? next : undefined;
    }
    const { metadata, ...rest } = head;
    const resourceVersion = isObject(metadata) ? metadata['resourceVersion'] : undefined;
    return {
      status: 'found',
      value: {
        ...rest,
        metadata: typeof resourceVersion === 'string' ? { resourceVersion } : {},
        items: items.slice(0, cap + 1),
      },
    };
  };

  const podEvents = async (pod: PodRef, signal: AbortSignal): Promise<ReadResult<unknown>> => {
    if (!isValidPathSegmentName(pod.namespace) || !isValidPathSegmentName(pod.name)) return NOT_FOUND;
    const ns = encodeURIComponent(pod.namespace);
    const selector = (prefix: string) =>
      [
        `${prefix}.kind=Pod`,
        `${prefix}.name=${escapeFieldValue(pod.name)}`,
        `${prefix}.namespace=${escapeFieldValue(pod.namespace)}`,
        ...(pod.uid !== undefined && UID.test(pod.uid) ? [`${prefix}.uid=${pod.uid}`] : []),
      ].join(',');
    const core = await list(
      `/api/v1/namespaces/${ns}/events`,
      { fieldSelector: selector('involvedObject') },
      MAX_EVENTS,
      signal,
    );
    if (core.status !== 'error' || core.kind !== 'forbidden') return core;
    // The same events through events.k8s.io/v1, which RBAC may allow when core/v1 events are not.
    const fallback = await list(
      `/apis/events.k8s.io/v1/namespaces/${ns}/events`,
      { fieldSelector: selector('regarding') },
      MAX_EVENTS,
      signal,
    );
    return fallback.status === 'found' ? fallback : core;
  };

  return {
    getPod: (namespace, name, signal) =>
      get([namespace, name], `/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}`, signal),
    listPods: (namespace, signal) => {
      if (namespace !== undefined && !isValidPathSegmentName(namespace)) return Promise.resolve(NOT_FOUND);
      const path = namespace === undefined ? '/api/v1/pods' : `/api/v1/namespaces/${enc(namespace)}/pods`;
      return list(path, {}, Math.max(MAX_PODS, MAX_ITEMS), signal);
    },
    getWorkload: (kind, namespace, name, signal) =>
      get([namespace, name], `${WORKLOAD_PATHS[kind].replace('{ns}', enc(namespace))}/${enc(name)}`, signal),
    listReplicaSets: (namespace, signal) => namespaced(namespace, WORKLOAD_PATHS.replicaset, signal),
    listJobs: (namespace, signal) => namespaced(namespace, WORKLOAD_PATHS.job, signal),
    listPodEvents: podEvents,
    getNode: (name, signal) => get([name], `/api/v1/nodes/${enc(name)}`, signal),
  };

  function namespaced(namespace: string, template: string, signal: AbortSignal): Promise<ReadResult<unknown>> {
    if (!isValidPathSegmentName(namespace)) return Promise.resolve(NOT_FOUND);
    return list(template.replace('{ns}', enc(namespace)), {}, MAX_ITEMS, signal);
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

/**
 * A field selector value escaped as the API server reads it: `\\`, `\,`, `\=` (`EscapeValue` in
 * https://github.com/kubernetes/apimachinery/blob/master/pkg/fields/selector.go).
 */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (char) => `\\${char}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
