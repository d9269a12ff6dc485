/**
 * The {@link DiagnoseCluster} port over client-node: read-only GETs whose answers come back as the API server's own
 * JSON (field names and string timestamps as on the wire, which the diagnose readers validate), not as client-node's
 * model classes. Requests go through kube-request.ts (client-node's authentication and fetch, bounded bodies,
 * classified failures, never rethrown), each bounded by the caller's signal and a request timeout; lists are read in
 * pages by list-pages.ts, and paging stops once the diagnose readers' cap is passed. A name that is not a valid path segment is answered "not found"
 * without a request, as in cluster-reader.ts.
 */
import type { DiagnoseCluster, PodRef, ReadResult } from '../diagnose/cluster-port.js';
import { MAX_ITEMS, type WorkloadKind } from '../diagnose/current-pods.js';
import { MAX_PODS } from '../diagnose/failing-containers.js';
import { MAX_EVENTS } from '../diagnose/pull-events.js';
import { isValidPathSegmentName } from '../credentials/object-name.js';
import type { KubeAccess } from './kube-config.js';
import { createKubeRequest } from './kube-request.js';
import { listPages } from './list-pages.js';

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
  const request = createKubeRequest(kube.kubeConfig, options.requestTimeoutMs ?? 10_000);
  const pageSize = options.pageSize ?? 500;

  const get = async (segments: readonly string[], path: string, signal: AbortSignal): Promise<ReadResult<unknown>> => {
    if (!segments.every(isValidPathSegmentName)) return NOT_FOUND;
    const answer = await request('GET', path, undefined, undefined, signal);
    if (answer.status === 'ok') return { status: 'found', value: answer.value };
    if (answer.status === 'conflict') return { status: 'error', kind: 'invalid', detail: 'HTTP 409' };
    return answer;
  };

  /** Every page of a list (list-pages.ts), up to one item past `cap` (so the reader can tell the list was cut). */
  const list = async (
    path: string,
    fieldSelector: string | undefined,
    cap: number,
    signal: AbortSignal,
  ): Promise<ReadResult<unknown>> => {
    const items: unknown[] = [];
    const result = await listPages(request, path, {
      ...(fieldSelector !== undefined ? { fieldSelector } : {}),
      pageSize,
      signal,
      take: (item) => items.push(item) <= cap,
    });
    if (result.status !== 'ok') return result;
    const { head, resourceVersion } = result;
    return {
      status: 'found',
      value: { ...head, metadata: resourceVersion !== '' ? { resourceVersion } : {}, items },
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
    const core = await list(`/api/v1/namespaces/${ns}/events`, selector('involvedObject'), MAX_EVENTS, signal);
    if (core.status !== 'error' || core.kind !== 'forbidden') return core;
    // The same events through events.k8s.io/v1, which RBAC may allow when core/v1 events are not.
    const fallback = await list(
      `/apis/events.k8s.io/v1/namespaces/${ns}/events`,
      selector('regarding'),
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
      return list(path, undefined, Math.max(MAX_PODS, MAX_ITEMS), signal);
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
    return list(template.replace('{ns}', enc(namespace)), undefined, MAX_ITEMS, signal);
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
