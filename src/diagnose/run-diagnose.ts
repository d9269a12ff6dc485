/**
 * `pullguard diagnose` as a use case: the targets of the command line → the pods to explain → one report. Pods are
 * read through the {@link DiagnoseCluster} port and checked through the {@link PodCheckPort}; this module decides
 * which pods count, what a missing or unreadable target says, and the order of the report. Bounded: at most
 * MAX_TARGETS targets (diagnose-args.ts), {@link MAX_DIAGNOSED_PODS} pods diagnosed, POD_CONCURRENCY at once.
 */
import { mapLimit } from '../runtime/map-limit.js';
import type { DiagnoseCluster, ReadResult } from './cluster-port.js';
import { currentPods, type WorkloadKind, type WorkloadLists } from './current-pods.js';
import type { DiagnoseTarget } from './diagnose-args.js';
import { diagnosePod, type PodDiagnoseDeps } from './diagnose-pod.js';
import { MAX_PODS, readFailingPod, readFailingPods, type FailingPod } from './failing-containers.js';
import { memoisedWorkloadRead } from './owner-chain.js';
import type { PodCheckPort } from './pod-check-port.js';
import type { DiagnoseReport, PodDiagnosis } from './report.js';

/** More failing pods than this in one run are listed in `unread`, not diagnosed: each costs registry requests. */
export const MAX_DIAGNOSED_PODS = 500;
/** Pods diagnosed at once: each reads its events and node and resolves its images. */
const POD_CONCURRENCY = 8;

export interface DiagnoseRequest {
  readonly targets: readonly DiagnoseTarget[];
  /** The namespace of the targets (`-n`, else the kubeconfig context's). */
  readonly namespace: string;
  readonly allNamespaces: boolean;
}

export interface DiagnoseDeps {
  readonly cluster: DiagnoseCluster;
  readonly checkPod: PodCheckPort;
  readonly now: () => Date;
  readonly signal: AbortSignal;
}

/** A pod to diagnose: the object as read and its reading. */
interface FailingPodRead {
  readonly object: unknown;
  readonly pod: FailingPod;
  readonly namespace: string;
}

interface Collected {
  readonly failing: FailingPodRead[];
  readonly notFailing: string[];
  readonly problems: string[];
  readonly unread: string[];
}

export async function runDiagnose(request: DiagnoseRequest, deps: DiagnoseDeps): Promise<DiagnoseReport> {
  const collected: Collected = { failing: [], notFailing: [], problems: [], unread: [] };
  if (request.allNamespaces) await collectAllNamespaces(deps, collected);
  else for (const target of request.targets) await collectTarget(target, request.namespace, deps, collected);

  const failing = distinct(collected.failing);
  if (failing.length > MAX_DIAGNOSED_PODS) {
    collected.unread.push(
      `${failing.length} pods are failing; only the first ${MAX_DIAGNOSED_PODS} are diagnosed (narrow with -n or a workload)`,
    );
  }
  const podDeps = memoisedReads(deps);
  const results = await mapLimit(failing.slice(0, MAX_DIAGNOSED_PODS), POD_CONCURRENCY, (read) =>
    diagnosePod(read.object, read.pod, read.namespace, podDeps),
  );
  const pods: PodDiagnosis[] = results.map((r) => r.diagnosis);
  return {
    pods,
    notFailing: collected.notFailing,
    problems: collected.problems,
    unread: [...collected.unread, ...new Set(results.flatMap((r) => r.unread))],
  };
}

async function collectAllNamespaces(deps: DiagnoseDeps, out: Collected): Promise<void> {
  const read = await deps.cluster.listPods(undefined, deps.signal);
  if (read.status !== 'found') {
    out.problems.push(`cannot list pods in all namespaces (${failure(read)})`);
    return;
  }
  if (itemsOf(read.value) === undefined) {
    out.problems.push('cannot list pods in all namespaces (the answer is not a PodList)');
    return;
  }
  const found = failingOf(read.value, undefined, out);
  found.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.pod.name.localeCompare(b.pod.name));
  out.failing.push(...found);
}

async function collectTarget(target: DiagnoseTarget, namespace: string, deps: DiagnoseDeps, out: Collected) {
  const label = `${target.kind} ${namespace}/${target.name}`;
  if (target.kind === 'pod') {
    const read = await deps.cluster.getPod(namespace, target.name, deps.signal);
    if (read.status === 'not-found')
      return void out.problems.push(`pod "${target.name}" not found in namespace ${namespace}`);
    if (read.status === 'error') return void out.problems.push(`cannot read ${label} (${failure(read)})`);
    const reading = readFailingPod(read.value);
    if (!reading.ok) return void out.problems.push(`${label}: ${reading.problem}`);
    if (reading.pod.containers.length === 0)
      return void out.notFailing.push(`${label} is not failing: no container is waiting on an image pull`);
    return void out.failing.push({ object: read.value, pod: reading.pod, namespace });
  }
  const workload = await deps.cluster.getWorkload(target.kind, namespace, target.name, deps.signal);
  if (workload.status === 'not-found')
    return void out.problems.push(`${target.kind} "${target.name}" not found in namespace ${namespace}`);
  if (workload.status === 'error') return void out.problems.push(`cannot read ${label} (${failure(workload)})`);
  const lists = await workloadLists(target.kind, namespace, deps);
  if (typeof lists === 'string') return void out.problems.push(`cannot diagnose ${label}: ${lists}`);
  const reading = currentPods(target.kind, workload.value, lists);
  if (!reading.ok) return void out.problems.push(`${label}: ${reading.problem}`);
  if (reading.truncated) out.unread.push(`only the first items of the lists in namespace ${namespace} were read`);
  const found = failingOf(reading.current, namespace, out);
  if (found.length > 0) return void out.failing.push(...found);
  const count = reading.current.length;
  out.notFailing.push(
    count === 0
      ? `${label} is not failing: it has no current pods`
      : `${label} is not failing: no container of its ${count} current pod${count === 1 ? '' : 's'} is waiting on an image pull`,
  );
}

/** The lists a workload's current pods are computed from, or why one could not be read. */
async function workloadLists(
  kind: WorkloadKind,
  namespace: string,
  deps: DiagnoseDeps,
): Promise<WorkloadLists | string> {
  const [pods, replicaSets, jobs] = await Promise.all([
    deps.cluster.listPods(namespace, deps.signal),
    kind === 'deployment' ? deps.cluster.listReplicaSets(namespace, deps.signal) : undefined,
    kind === 'cronjob' ? deps.cluster.listJobs(namespace, deps.signal) : undefined,
  ]);
  const named: [string, ReadResult<unknown> | undefined][] = [
    ['pods', pods],
    ['replicasets', replicaSets],
    ['jobs', jobs],
  ];
  const items: Partial<Record<string, readonly unknown[]>> = {};
  for (const [what, read] of named) {
    if (read === undefined) continue;
    if (read.status !== 'found') return `cannot list ${what} in namespace ${namespace} (${failure(read)})`;
    const list = itemsOf(read.value);
    if (list === undefined) return `the ${what} list of namespace ${namespace} is not a list`;
    items[what] = list;
  }
  return {
    pods: items['pods'] ?? [],
    ...(items['replicasets'] ? { replicaSets: items['replicasets'] } : {}),
    ...(items['jobs'] ? { jobs: items['jobs'] } : {}),
  };
}

/** The failing pods among `objects` (a PodList or an array); pods that cannot be read are counted in `unread`. */
function failingOf(objects: unknown, namespace: string | undefined, out: Collected): FailingPodRead[] {
  const reading = readFailingPods(objects);
  const failing: FailingPodRead[] = [];
  let unreadable = reading.malformed;
  for (const { object, pod } of reading.pods) {
    const ns = pod.namespace ?? namespace;
    if (ns === undefined) unreadable += 1;
    else failing.push({ object, pod, namespace: ns });
  }
  if (unreadable > 0)
    out.unread.push(`${unreadable} pod object${unreadable === 1 ? '' : 's'} could not be read (not a Pod)`);
  if (reading.truncated) out.unread.push(`only the first ${MAX_PODS} pods of the list were read`);
  return failing;
}

function distinct(reads: readonly FailingPodRead[]): FailingPodRead[] {
  const seen = new Set<string>();
  return reads.filter((r) => {
    const key = `${r.namespace}/${r.pod.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function memoisedReads(deps: DiagnoseDeps): PodDiagnoseDeps {
  const nodes = new Map<string, Promise<ReadResult<unknown>>>();
  return {
    cluster: deps.cluster,
    checkPod: deps.checkPod,
    now: deps.now,
    signal: deps.signal,
    readWorkload: memoisedWorkloadRead(deps.cluster, deps.signal),
    readNode: (name) => {
      let read = nodes.get(name);
      if (read === undefined) nodes.set(name, (read = deps.cluster.getNode(name, deps.signal)));
      return read;
    },
  };
}

function itemsOf(list: unknown): readonly unknown[] | undefined {
  const items = typeof list === 'object' && list !== null && 'items' in list ? list.items : undefined;
  return Array.isArray(items) ? items : undefined;
}

function failure(read: Exclude<ReadResult<unknown>, { status: 'found' }>): string {
  return read.status === 'not-found' ? 'not found' : `${read.kind}: ${read.detail}`;
}
