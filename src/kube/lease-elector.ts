/**
 * Leader election through a coordination.k8s.io/v1 Lease (the rules are in lease-election.ts), over client-node's
 * authentication and fetch. RBAC: `get`, `create`, `update` on `leases` in the Lease's namespace; without it the
 * elector logs one line and stays follower. Never throws: options it cannot run with are logged once and leave it a
 * follower.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { isValidPathSegmentName } from '../credentials/object-name.js';
import { createKubeRequest, type KubeAnswer, type KubeRequest } from './kube-request.js';
import {
  runElection,
  type ElectionClock,
  type ElectionLog,
  type LeaseElector,
  type LeasePort,
  type LeaseRecord,
  type LeaseWrite,
} from './lease-election.js';

export type { ElectionClock, ElectionLog, LeaseElector } from './lease-election.js';

export interface LeaseElectorOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly name: string;
  /** This replica's name in `holderIdentity`, e.g. the pod name. */
  readonly identity: string;
  /** Default 15. Must exceed the renew deadline. Fractions of a second are allowed (tests). */
  readonly leaseDurationSeconds?: number;
  /** Default 10. Must exceed the retry period. */
  readonly renewDeadlineSeconds?: number;
  /** Default 2. */
  readonly retryPeriodSeconds?: number;
  readonly onStartedLeading?: () => void;
  readonly onStoppedLeading?: () => void;
  readonly log?: ElectionLog;
  /** Node's clock and timers by default. */
  readonly clock?: ElectionClock;
}

const NODE_CLOCK: ElectionClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

const FOLLOWER: LeaseElector = Object.freeze({ isLeader: () => false, stop: () => Promise.resolve() });

/** Starts electing; the first try is immediate. */
export function startLeaseElector(options: LeaseElectorOptions): LeaseElector {
  const leaseDurationMs = (options.leaseDurationSeconds ?? 15) * 1000;
  const renewDeadlineMs = (options.renewDeadlineSeconds ?? 10) * 1000;
  const retryPeriodMs = (options.retryPeriodSeconds ?? 2) * 1000;
  const lease = `${options.namespace}/${options.name}`;
  const problem = timingProblem(leaseDurationMs, renewDeadlineMs, retryPeriodMs) ?? nameProblem(options);
  if (problem !== undefined) {
    options.log?.warn({ lease }, `leader election off: ${problem}`);
    return FOLLOWER;
  }
  // Half the renew deadline per request: a read and a write fit in one deadline.
  const request = createKubeRequest(options.kubeConfig, renewDeadlineMs / 2);
  return runElection(leasePort(request, options.namespace, options.name), {
    identity: options.identity,
    leaseDurationMs,
    renewDeadlineMs,
    retryPeriodMs,
    lease,
    clock: options.clock ?? NODE_CLOCK,
    ...(options.onStartedLeading !== undefined ? { onStartedLeading: options.onStartedLeading } : {}),
    ...(options.onStoppedLeading !== undefined ? { onStoppedLeading: options.onStoppedLeading } : {}),
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
}

/** client-go's NewLeaderElector checks: leaseDuration > renewDeadline > retryPeriod > 0. */
function timingProblem(leaseMs: number, renewMs: number, retryMs: number): string | undefined {
  if (![leaseMs, renewMs, retryMs].every((ms) => Number.isFinite(ms) && ms > 0))
    return 'leaseDurationSeconds, renewDeadlineSeconds and retryPeriodSeconds must be positive numbers';
  if (!Number.isInteger(leaseMs / 1000))
    return 'leaseDurationSeconds must be a whole number (the Lease field is an integer)';
  if (leaseMs <= renewMs) return 'leaseDurationSeconds must be greater than renewDeadlineSeconds';
  if (renewMs <= retryMs) return 'renewDeadlineSeconds must be greater than retryPeriodSeconds';
  return undefined;
}

function nameProblem(options: LeaseElectorOptions): string | undefined {
  if (!isValidPathSegmentName(options.namespace) || !isValidPathSegmentName(options.name))
    return 'the Lease namespace and name must be non-empty names without "/" or "%"';
  if (options.identity === '') return 'the identity must not be empty';
  return undefined;
}

/** The Lease at `/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}`. */
function leasePort(request: KubeRequest, namespace: string, name: string): LeasePort {
  const collection = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
  const item = `${collection}/${encodeURIComponent(name)}`;
  const body = (record: LeaseRecord, resourceVersion?: string) => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(resourceVersion !== undefined ? { resourceVersion } : {}) },
    spec: record,
  });
  return {
    get: async () => {
      const answer = await request('GET', item);
      if (answer.status !== 'ok') return answer.status === 'conflict' ? unexpectedConflict : answer;
      const resourceVersion = versionOf(answer);
      if (resourceVersion === undefined)
        return { status: 'error', kind: 'invalid', detail: 'a Lease without metadata.resourceVersion' };
      return { status: 'found', record: recordOf(answer.value['spec']), resourceVersion };
    },
    create: async (record) => written(await request('POST', collection, body(record))),
    update: async (record, resourceVersion) => written(await request('PUT', item, body(record, resourceVersion))),
  };
}

const unexpectedConflict = { status: 'error', kind: 'invalid', detail: 'HTTP 409' } as const;

function written(answer: KubeAnswer): LeaseWrite {
  if (answer.status === 'not-found') return { status: 'conflict' };
  if (answer.status !== 'ok') return answer;
  const resourceVersion = versionOf(answer);
  if (resourceVersion === undefined)
    return { status: 'error', kind: 'invalid', detail: 'a Lease without metadata.resourceVersion' };
  return { status: 'ok', resourceVersion };
}

function versionOf(answer: { readonly value: Readonly<Record<string, unknown>> }): string | undefined {
  const metadata = answer.value['metadata'];
  const version = isObject(metadata) ? metadata['resourceVersion'] : undefined;
  return typeof version === 'string' && version !== '' ? version : undefined;
}

/** A Lease spec read leniently, as client-go does: a missing field is its zero value (no holder, expired). */
function recordOf(spec: unknown): LeaseRecord {
  const s = isObject(spec) ? spec : {};
  const text = (key: string) => (typeof s[key] === 'string' ? (s[key] as string) : '');
  const count = (key: string) => (typeof s[key] === 'number' && Number.isFinite(s[key]) ? (s[key] as number) : 0);
  return {
    holderIdentity: text('holderIdentity'),
    leaseDurationSeconds: count('leaseDurationSeconds'),
    acquireTime: text('acquireTime'),
    renewTime: text('renewTime'),
    leaseTransitions: count('leaseTransitions'),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
