/**
 * Where the serve audit's results go (docs/audit.md): `ImageUnavailable` Warning Events through the Event recorder,
 * the sparse gauge `pullguard_audit_image_unavailable`, `pullguard_audit_images{outcome}` and the last-run timestamp.
 * Events are sent in the background, at most 4 at a time and at most 1,000 waiting; past that they are dropped and
 * counted in one log line, so a cluster that breaks all at once cannot pile up memory. Never throws.
 */
import type { AuditSink } from '../audit/audit-loop.js';
import type { AuditActions, AuditOutcome, WorkloadEvent } from '../audit/audit-state.js';
import type { EventRecorder, EventTarget } from '../kube/event-recorder.js';
import type { Metrics } from '../observability/metrics.js';

export interface AuditSinkLog {
  warn(details: object, message: string): void;
}

export interface AuditSinkOptions {
  readonly metrics: Metrics;
  readonly recorder: EventRecorder;
  /** The API version of a workload kind (`apps` `Deployment` → `apps/v1`), for the Event's involvedObject. */
  readonly apiVersionOf: (group: string, kind: string) => string;
  readonly log: AuditSinkLog;
}

const EVENTS_IN_FLIGHT = 4;
const MAX_WAITING_EVENTS = 1_000;
const OUTCOMES: readonly AuditOutcome[] = ['available', 'unavailable', 'error', 'skipped', 'pending'];

export interface ServeAuditSink extends AuditSink {
  /** Resolves when every Event accepted so far has been sent (or failed). */
  idle(): Promise<void>;
  /** The audit stopped here (another replica leads): this replica's outcome counts are withdrawn. */
  clearOutcomes(): void;
}

export function createAuditSink(options: AuditSinkOptions): ServeAuditSink {
  const { metrics, log } = options;
  const waiting: WorkloadEvent[] = [];
  let sending = 0;
  let dropped = 0;
  let failed = 0;
  let overflowed = 0;
  let idleWaiters: (() => void)[] = [];

  const settleIdle = (): void => {
    if (sending > 0 || waiting.length > 0) return;
    for (const resolve of idleWaiters) resolve();
    idleWaiters = [];
  };

  const send = (event: WorkloadEvent): void => {
    sending++;
    const target: EventTarget = {
      apiVersion: options.apiVersionOf(event.workload.group, event.workload.kind),
      kind: event.workload.kind,
      name: event.workload.name,
      namespace: event.workload.namespace,
      ...(event.workload.uid !== undefined ? { uid: event.workload.uid } : {}),
    };
    void options.recorder
      .warn(target, event.reason, event.message)
      .then(
        (outcome) => {
          if (outcome.status === 'error' && failed++ === 0)
            log.warn(
              { kind: outcome.kind, detail: outcome.detail },
              'audit: cannot write ImageUnavailable Events (RBAC: create, patch on events); the metrics still report',
            );
        },
        () => undefined,
      )
      .finally(() => {
        sending--;
        pump();
      });
  };

  const pump = (): void => {
    while (sending < EVENTS_IN_FLIGHT && waiting.length > 0) send(waiting.shift() as WorkloadEvent);
    settleIdle();
  };

  return {
    actions(actions: AuditActions) {
      for (const labels of actions.remove) metrics.auditImageUnavailable.remove({ ...labels });
      for (const labels of actions.set) metrics.auditImageUnavailable.set({ ...labels }, 1);
      for (const event of actions.events) {
        if (waiting.length >= MAX_WAITING_EVENTS) {
          if (dropped++ === 0) log.warn({ waiting: waiting.length }, 'audit: too many Events waiting; dropping some');
          continue;
        }
        waiting.push(event);
      }
      if (actions.overflow > 0 && overflowed++ === 0)
        log.warn({ failingUses: actions.overflow }, 'audit: too many failing images to track; some are not reported');
      pump();
    },
    outcomes(counts) {
      for (const outcome of OUTCOMES) metrics.auditImages.set({ outcome }, counts[outcome] ?? 0);
    },
    passComplete(atMs) {
      metrics.auditLastRun.set(Math.floor(atMs / 1000));
    },
    idle: () =>
      sending === 0 && waiting.length === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve)),
    clearOutcomes: () => metrics.auditImages.reset(),
  };
}
