/**
 * The continuous audit in `serve` (docs/audit.md): find images of running workloads that would fail on their next
 * pull. Off, with one log line, when `audit.enabled` is false, when there is no Kubernetes API, or when the service
 * account lacks the RBAC it needs (asked up front with SelfSubjectAccessReviews). Otherwise every replica takes part
 * in a Lease election and only the leader audits: it lists and watches the workload kinds (informers), keeps the
 * inventory of distinct checks, runs the loop (audit-loop.ts) with an engine of its own (paced per registry, no
 * result cache) and reports through the sink (Events and metrics). Losing the Lease stops the loop and withdraws
 * this replica's series. Never throws: the webhook runs whatever happens here.
 */
import { AUDIT_OFF, type RunningAudit, type StartAuditOptions } from './audit-run.js';

export type { RunningAudit, StartAuditOptions } from './audit-run.js';

export async function startAudit(options: StartAuditOptions): Promise<RunningAudit> {
  const { config, kube, log, metrics } = options;
  metrics.auditLeader.set(0);
  if (!config.audit.enabled) {
    log.info({}, 'audit off (audit.enabled is false)');
    return AUDIT_OFF;
  }
  if (kube === undefined) {
    log.info({}, 'audit off: no Kubernetes API to read workloads from (credentials.kubernetes)');
    return AUDIT_OFF;
  }
  // Loaded only now: without a cluster, `serve` never holds the Kubernetes client in memory.
  const { startElectedAudit } = await import('./elected-audit.js');
  return startElectedAudit(options, kube);
}
