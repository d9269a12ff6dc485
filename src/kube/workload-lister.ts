/**
 * One listing of the cluster's workloads, for `pullguard scan`: every resource of
 * workload-resources.ts over all namespaces or one, in pages (list-pages.ts), at most {@link MAX_IN_FLIGHT} lists at
 * a time, each page bounded by `requestTimeoutMs` and 64 MiB, at most `maxObjects` objects overall. Items of a list
 * carry no `kind`: each object is tagged with its resource's group, version and kind, and kept lean
 * (lean-object.ts). A custom resource answered `404` is not served (its CRD is not installed), which is no problem;
 * other failures become problems per resource while the other resources are still listed. Never throws for API
 * failures.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { WorkloadObject } from '../audit/inventory.js';
import type { ReadFailure } from '../credentials/cluster-port.js';
import { mapLimit } from '../runtime/map-limit.js';
import { createKubeRequest } from './kube-request.js';
import { leanObject } from './lean-object.js';
import { listPages } from './list-pages.js';
import { collectionPath, resourceName, type WorkloadResource } from './workload-resources.js';

export interface ListWorkloadsOptions {
  readonly kubeConfig: KubeConfig;
  readonly resources: readonly WorkloadResource[];
  /** One namespace; absent: every namespace. */
  readonly namespace?: string;
  /** A label selector, passed to the API server as written (it validates it). */
  readonly labelSelector?: string;
  readonly signal: AbortSignal;
  /** Ceiling of one request (one page). */
  readonly requestTimeoutMs: number;
  /** At most this many objects overall (default 50 000); past it the listing is `capped`. */
  readonly maxObjects?: number;
  /** Items asked for per page (default 500). */
  readonly pageSize?: number;
}

export interface ListingProblem {
  readonly resource: WorkloadResource;
  readonly kind: ReadFailure;
  /** Safe to show: the verb, the resource, the scope and a status, never an API body. */
  readonly detail: string;
}

export interface WorkloadListing {
  readonly objects: WorkloadObject[];
  /** Custom resources the API server does not serve (`404`: the CRD is not installed). */
  readonly notServed: WorkloadResource[];
  readonly problems: ListingProblem[];
  /** True when `maxObjects` was reached: the cluster holds more than was listed. */
  readonly capped: boolean;
}

const DEFAULT_MAX_OBJECTS = 50_000;
const MAX_IN_FLIGHT = 4;

export async function listWorkloads(options: ListWorkloadsOptions): Promise<WorkloadListing> {
  const request = createKubeRequest(options.kubeConfig, options.requestTimeoutMs);
  const maxObjects = options.maxObjects ?? DEFAULT_MAX_OBJECTS;
  const objects: WorkloadObject[] = [];
  const notServed: WorkloadResource[] = [];
  const problems: ListingProblem[] = [];
  let capped = false;
  const scope = options.namespace === undefined ? 'in all namespaces' : `in namespace "${options.namespace}"`;

  const listOne = async (resource: WorkloadResource): Promise<void> => {
    if (capped) return;
    const { group, version, kind } = resource;
    const result = await listPages(request, collectionPath(resource, options.namespace), {
      ...(options.labelSelector !== undefined ? { labelSelector: options.labelSelector } : {}),
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
      signal: options.signal,
      take: (item) => {
        if (objects.length >= maxObjects) return false;
        objects.push(Object.freeze({ group, version, kind, object: leanObject(item) }));
        return true;
      },
    });
    if (result.status === 'ok') {
      if (result.capped) capped = true;
      return;
    }
    if (result.status === 'not-found' && !resource.builtIn) {
      notServed.push(resource);
      return;
    }
    const failure =
      result.status === 'not-found' ? { kind: 'unavailable' as const, detail: 'HTTP 404: not served' } : result;
    const detail = `cannot list ${resourceName(resource)} ${scope}: ${failure.kind} (${failure.detail})`;
    problems.push(Object.freeze({ resource, kind: failure.kind, detail }));
  };

  await mapLimit(options.resources, MAX_IN_FLIGHT, listOne);
  return { objects, notServed, problems, capped };
}
