/**
 * One failing pod diagnosed: its owner, its node, its pull events and pullguard's engine on it, read concurrently,
 * then one report per failing container (container-report.ts). A read that fails is said in `unread` and the
 * diagnosis goes on with less.
 */
import { nodeInfoFromObject } from '../platform/node-info.js';
import type { DiagnoseCluster, ReadResult } from './cluster-port.js';
import { containerReport } from './container-report.js';
import type { FailingPod } from './failing-containers.js';
import { ownerOf } from './owner-chain.js';
import type { PodCheck, PodCheckPort } from './pod-check-port.js';
import { containerPullEvents, readPullEvents, type PullEventsReading } from './pull-events.js';
import type { NodeFacts, PodDiagnosis } from './report.js';

export interface PodDiagnoseDeps {
  readonly cluster: DiagnoseCluster;
  readonly checkPod: PodCheckPort;
  /** Memoised per run: pods on one node read it once. */
  readonly readNode: (name: string) => Promise<ReadResult<unknown>>;
  /** Memoised per run: pods of one ReplicaSet read it once. */
  readonly readWorkload: (kind: 'replicaset' | 'job', namespace: string, name: string) => Promise<ReadResult<unknown>>;
  readonly now: () => Date;
  readonly signal: AbortSignal;
}

export interface PodDiagnoseResult {
  readonly diagnosis: PodDiagnosis;
  readonly unread: readonly string[];
}

/** `object` is the Pod as read, `pod` its reading (with at least one failing container). */
export async function diagnosePod(
  object: unknown,
  pod: FailingPod,
  namespace: string,
  deps: PodDiagnoseDeps,
): Promise<PodDiagnoseResult> {
  const unread: string[] = [];
  const where = `pod ${namespace}/${pod.name}`;
  const [ownerReading, nodeRead, eventsRead] = await Promise.all([
    ownerOf(object, namespace, (kind, name) => deps.readWorkload(kind, namespace, name)),
    pod.nodeName ? deps.readNode(pod.nodeName) : Promise.resolve(undefined),
    deps.cluster.listPodEvents({ namespace, name: pod.name, ...(pod.uid ? { uid: pod.uid } : {}) }, deps.signal),
  ]);
  if (ownerReading.unread) unread.push(ownerReading.unread);
  const node = pod.nodeName ? nodeFacts(pod.nodeName, nodeRead, unread) : undefined;
  const check = await checked(deps, object, nodeRead?.status === 'found' ? nodeRead.value : undefined);
  if (check.status === 'checked') unread.push(...check.unread);
  const events = eventsOf(eventsRead, pod, namespace, deps.now(), unread);
  const containers = pod.containers.map((container) =>
    containerReport({
      pod,
      namespace,
      ...(ownerReading.owner ? { owner: ownerReading.owner } : {}),
      ...(node ? { node } : {}),
      container,
      ...optionalEvents(events && containerPullEvents(events, container.section, container.name)),
      check,
    }),
  );
  if (events?.truncated) unread.push(`only the first events about ${where} were read`);
  return {
    diagnosis: {
      namespace,
      name: pod.name,
      ...(ownerReading.owner ? { owner: ownerReading.owner } : {}),
      ...(node ? { node } : {}),
      serviceAccount: pod.serviceAccountName,
      imagePullSecrets: pod.imagePullSecrets,
      containers,
    },
    unread,
  };
}

function optionalEvents<T>(events: T | undefined): { events?: T } {
  return events === undefined ? {} : { events };
}

async function checked(deps: PodDiagnoseDeps, object: unknown, node: unknown): Promise<PodCheck> {
  try {
    return await deps.checkPod(object, node, deps.signal);
  } catch (error) {
    // The port resolves by contract; a bug in it must not take the other pods' diagnoses down.
    return { status: 'not-checked', reason: `the check failed (${error instanceof Error ? error.name : 'error'})` };
  }
}

function nodeFacts(name: string, read: ReadResult<unknown> | undefined, unread: string[]): NodeFacts {
  if (read?.status === 'found') {
    const info = nodeInfoFromObject(read.value);
    if (info === undefined) {
      unread.push(`node ${name} is not a Node object`);
      return { name };
    }
    return {
      name,
      platform: info.platform,
      ...(info.containerRuntimeVersion ? { containerRuntime: info.containerRuntimeVersion } : {}),
    };
  }
  if (read?.status === 'not-found') unread.push(`node ${name} no longer exists`);
  else if (read?.status === 'error') unread.push(`cannot read node ${name} (${read.kind}: ${read.detail})`);
  return { name };
}

function eventsOf(
  read: ReadResult<unknown>,
  pod: FailingPod,
  namespace: string,
  now: Date,
  unread: string[],
): PullEventsReading | undefined {
  if (read.status === 'error') {
    unread.push(`cannot read the events of pod ${namespace}/${pod.name} (${read.kind}: ${read.detail})`);
    return undefined;
  }
  if (read.status === 'not-found') return undefined;
  const reading = readPullEvents(read.value, { name: pod.name, namespace, ...(pod.uid ? { uid: pod.uid } : {}) }, now);
  if (reading.problem) {
    unread.push(`the events of pod ${namespace}/${pod.name}: ${reading.problem}`);
    return undefined;
  }
  return reading;
}
