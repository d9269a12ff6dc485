/**
 * Leader election over a Lease, with the rules of client-go's leaderelection
 * (https://github.com/kubernetes/client-go/blob/master/tools/leaderelection/leaderelection.go): take the Lease when
 * it is absent, released (no holder), expired or already ours; a Lease counts as expired when `leaseDurationSeconds`
 * have passed on the local clock since this elector last saw the record change (not by comparing `renewTime` with the
 * local clock, so clock skew between replicas does not matter); renew every retry period; leadership ends when no
 * renew succeeds within the renew deadline; a new holder bumps `leaseTransitions`; on stop the leader releases the
 * Lease (no holder, `leaseDurationSeconds: 1`, as client-go's ReleaseOnCancel) so another replica takes over at its
 * next try. Unlike client-go, leadership ends at once when another holder is seen in a still valid Lease (client-go's
 * IsLeader turns false then too, but OnStoppedLeading waits for the renew deadline). The Lease is reached through
 * {@link LeasePort}; the clock and timers are injected.
 */
import type { ReadFailure } from '../credentials/cluster-port.js';

/** The spec of a coordination.k8s.io/v1 Lease as the election reads and writes it. */
export interface LeaseRecord {
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  /** RFC 3339 MicroTime, as the API stores it. */
  readonly acquireTime: string;
  readonly renewTime: string;
  readonly leaseTransitions: number;
}

type Failure = { readonly status: 'error'; readonly kind: ReadFailure; readonly detail: string };
export type LeaseRead =
  | { readonly status: 'found'; readonly record: LeaseRecord; readonly resourceVersion: string }
  | { readonly status: 'not-found' }
  | Failure;
/** `conflict`: the name was taken (create) or the Lease changed since it was read (update). */
export type LeaseWrite =
  { readonly status: 'ok'; readonly resourceVersion: string } | { readonly status: 'conflict' } | Failure;

/** The Lease, by the name the adapter was built for. Every call resolves (never rejects) and is bounded. */
export interface LeasePort {
  get(): Promise<LeaseRead>;
  create(record: LeaseRecord): Promise<LeaseWrite>;
  update(record: LeaseRecord, resourceVersion: string): Promise<LeaseWrite>;
}

export interface ElectionClock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The logger calls the elector makes (a pino logger fits). Messages are static; details go in the object. */
export interface ElectionLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface ElectionOptions {
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly onStartedLeading?: () => void;
  readonly onStoppedLeading?: () => void;
  readonly log?: ElectionLog;
  /** Names the Lease in log lines, e.g. `pullguard/pullguard-audit`. */
  readonly lease: string;
  readonly clock: ElectionClock;
}

export interface LeaseElector {
  /** True while this replica holds the Lease and its last renew is younger than the lease duration. */
  isLeader(): boolean;
  /** Stops trying; a leader releases the Lease first and calls onStoppedLeading. Idempotent. */
  stop(): Promise<void>;
}

interface Observed {
  readonly record: LeaseRecord;
  readonly resourceVersion: string;
  /** Local time the record was first seen in this form. */
  readonly at: number;
}

/** Runs the election loop from now on; the first try is immediate. */
export function runElection(port: LeasePort, options: ElectionOptions): LeaseElector {
  const { identity, clock, log } = options;
  let observed: Observed | undefined;
  let leading = false;
  let lastRenew = 0;
  let stopped = false;
  let timer: unknown;
  let running: Promise<void> = Promise.resolve();
  const reported = new Set<ReadFailure>();

  const report = (failure: Failure): void => {
    if (reported.has(failure.kind)) return;
    reported.add(failure.kind);
    const details = { lease: options.lease, detail: failure.detail };
    if (failure.kind === 'forbidden')
      log?.warn(
        details,
        'leader election: no access to the Lease (RBAC: get, create, update on coordination.k8s.io leases); staying follower',
      );
    else log?.warn(details, 'leader election: the Lease could not be read or written; staying follower');
  };
  const observe = (record: LeaseRecord, resourceVersion: string, now: number): void => {
    const same = observed !== undefined && sameRecord(observed.record, record);
    observed = { record, resourceVersion, at: same && observed !== undefined ? observed.at : now };
  };
  const written = (write: LeaseWrite, record: LeaseRecord, now: number): boolean => {
    if (write.status === 'ok') {
      reported.clear();
      observed = { record, resourceVersion: write.resourceVersion, at: now };
      return true;
    }
    if (write.status === 'error') report(write);
    return false;
  };

  const tryAcquireOrRenew = async (now: number): Promise<boolean> => {
    const read = await port.get();
    if (stopped) return false;
    const fresh = (transitions: number, acquireTime: string): LeaseRecord => ({
      holderIdentity: identity,
      leaseDurationSeconds: options.leaseDurationMs / 1000,
      acquireTime,
      renewTime: microTime(now),
      leaseTransitions: transitions,
    });
    if (read.status === 'not-found')
      return written(await port.create(fresh(0, microTime(now))), fresh(0, microTime(now)), now);
    if (read.status === 'error') {
      report(read);
      return false;
    }
    observe(read.record, read.resourceVersion, now);
    const held = read.record;
    const ours = held.holderIdentity === identity;
    if (!ours && held.holderIdentity !== '' && (observed?.at ?? now) + held.leaseDurationSeconds * 1000 > now) {
      reported.clear();
      if (leading) loseLeadership('another holder has the Lease', held.holderIdentity);
      return false;
    }
    const next = ours
      ? fresh(held.leaseTransitions, held.acquireTime)
      : fresh(held.leaseTransitions + 1, microTime(now));
    return written(await port.update(next, read.resourceVersion), next, now);
  };

  const loseLeadership = (why: string, holder?: string): void => {
    leading = false;
    log?.warn(
      { lease: options.lease, identity, ...(holder !== undefined ? { holder } : {}) },
      `leader election: stopped leading: ${why}`,
    );
    options.onStoppedLeading?.();
  };

  const step = async (): Promise<void> => {
    const now = clock.now();
    const ok = await tryAcquireOrRenew(now);
    if (stopped) return;
    if (ok) {
      lastRenew = now;
      if (!leading) {
        leading = true;
        log?.info({ lease: options.lease, identity }, 'leader election: started leading');
        options.onStartedLeading?.();
      }
    } else if (leading && clock.now() - lastRenew >= options.renewDeadlineMs) {
      loseLeadership('no renew within the renew deadline');
    }
  };
  const tick = (): void => {
    running = step()
      .catch(() => log?.warn({ lease: options.lease }, 'leader election: a leadership callback failed'))
      .finally(() => {
        if (!stopped) timer = clock.setTimeout(tick, options.retryPeriodMs);
      });
  };
  tick();

  return {
    isLeader: () => leading && clock.now() - lastRenew < options.leaseDurationMs,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clock.clearTimeout(timer);
      await running;
      const wasLeading = leading;
      leading = false;
      // Released also when a write that made us the holder finished after stop was called.
      const held = observed;
      if (held !== undefined && held.record.holderIdentity === identity) {
        const now = microTime(clock.now());
        const released = {
          holderIdentity: '',
          leaseDurationSeconds: 1,
          acquireTime: now,
          renewTime: now,
          leaseTransitions: held.record.leaseTransitions,
        };
        const write = await port.update(released, held.resourceVersion);
        if (write.status !== 'ok' && wasLeading)
          log?.warn({ lease: options.lease }, 'leader election: could not release the Lease; it expires on its own');
      }
      if (!wasLeading) return;
      log?.info({ lease: options.lease, identity }, 'leader election: stopped leading: shutting down');
      options.onStoppedLeading?.();
    },
  };
}

function sameRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions
  );
}

/** RFC 3339 with microseconds (metav1.MicroTime), e.g. `2026-01-02T03:04:05.123000Z`. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}
