/**
 * The reads `pullguard diagnose` makes, as a port: the Kubernetes adapter (src/kube/diagnose-reader.ts) implements
 * it over client-node; tests implement it in memory. Objects come back as untrusted JSON (`unknown`), read by this
 * layer's own readers (failing-containers.ts, pull-events.ts, current-pods.ts). Every call is bounded by `signal`
 * and resolves, never rejects: a failure is a {@link ReadResult} `error` whose `detail` is safe to print (never an
 * API body, never secret data).
 */
import type { ReadResult } from '../credentials/cluster-port.js';
import type { WorkloadKind } from './current-pods.js';

// The result type of the webhook's own cluster reads, so the adapter classifies both alike.
export type { ReadResult } from '../credentials/cluster-port.js';

export interface PodRef {
  readonly namespace: string;
  readonly name: string;
  /** When known: events about an earlier pod of the same name are left out by the reader of the list. */
  readonly uid?: string;
}

export interface DiagnoseCluster {
  /** `GET /api/v1/namespaces/{ns}/pods/{name}`: the Pod. */
  getPod(namespace: string, name: string, signal: AbortSignal): Promise<ReadResult<unknown>>;
  /** The PodList of one namespace, or of every namespace when `namespace` is undefined (`-A`). */
  listPods(namespace: string | undefined, signal: AbortSignal): Promise<ReadResult<unknown>>;
  /** The workload object (`apps/v1` or `batch/v1`) by kind and name. */
  getWorkload(kind: WorkloadKind, namespace: string, name: string, signal: AbortSignal): Promise<ReadResult<unknown>>;
  /** The ReplicaSetList of a namespace (a Deployment's current pods are its newest ReplicaSet's). */
  listReplicaSets(namespace: string, signal: AbortSignal): Promise<ReadResult<unknown>>;
  /** The JobList of a namespace (a CronJob's current pods are its unfinished Jobs'). */
  listJobs(namespace: string, signal: AbortSignal): Promise<ReadResult<unknown>>;
  /**
   * The events about one pod: a core/v1 EventList selected by `involvedObject.name`, `involvedObject.namespace` and
   * `involvedObject.kind=Pod` (the kubelet's pull events are core/v1 events; events.k8s.io/v1 serves the same ones).
   */
  listPodEvents(pod: PodRef, signal: AbortSignal): Promise<ReadResult<unknown>>;
  /** `GET /api/v1/nodes/{name}`: the Node, for its platform and container runtime. */
  getNode(name: string, signal: AbortSignal): Promise<ReadResult<unknown>>;
}
