/**
 * The audit once a cluster is there (start-audit.ts decides that): API discovery of the custom resources served,
 * SelfSubjectAccessReviews for everything the audit needs, then the Lease election; the leader's term runs the
 * informers, the audit's own engine and the loop. Never throws.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { startAuditLoop, type AuditLoop } from '../audit/audit-loop.js';
import { buildInventory, type AuditCheck } from '../audit/inventory.js';
import { reviewAccess } from '../kube/access-review.js';
import { discoverServedResources } from '../kube/api-discovery.js';
import { auditAccessWanted, describeMissingAccess } from '../kube/audit-access.js';
import { createEventRecorder } from '../kube/event-recorder.js';
import type { KubeAccess } from '../kube/kube-config.js';
import { startLeaseElector, type LeaseElector } from '../kube/lease-elector.js';
import { startWorkloadInformers, type WorkloadInformers } from '../kube/workload-informers.js';
import { auditedResources, type WorkloadResource } from '../kube/workload-resources.js';
import { workloadCatalog } from '../workload/workload-catalog.js';
import { createAuditCheck } from './audit-check.js';
import { createAuditSink, type ServeAuditSink } from './audit-sink.js';
import type { Engine } from './compose-engine.js';
import { AUDIT_OFF, type RunningAudit, type StartAuditOptions } from './audit-run.js';

export async function startElectedAudit(options: StartAuditOptions, kube: KubeAccess): Promise<RunningAudit> {
  const { config, log } = options;
  const timeout = { signal: AbortSignal.timeout(60_000), requestTimeoutMs: config.network.requestTimeoutMs * 3 };
  const discovered = await discoverServedResources(kube.kubeConfig, auditedResources(config.workloads), timeout);
  if (discovered.problem !== undefined)
    log.warn(
      { detail: discovered.problem },
      'audit: API discovery failed; the custom resources it could not see are not audited',
    );
  const leaseNamespace = config.audit.leaseNamespace ?? options.env['POD_NAMESPACE'] ?? kube.namespace;
  const access = await reviewAccess(kube.kubeConfig, auditAccessWanted(discovered.served, leaseNamespace), timeout);
  // A custom resource the ClusterRole does not cover (a CRD installed after pullguard) is left out; anything else
  // missing turns the audit off.
  const deniedCustom = access.denied.filter((denied) => customResourceOf(discovered.served, denied) !== undefined);
  const essential = access.denied.filter((denied) => !deniedCustom.includes(denied));
  if (essential.length > 0) {
    log.warn({ denied: access.denied.length }, describeMissingAccess(access.denied));
    return AUDIT_OFF;
  }
  if (deniedCustom.length > 0)
    log.warn(
      { denied: deniedCustom.length },
      describeMissingAccess(deniedCustom, 'audit: leaving out custom resources it may not read'),
    );
  if (access.problem !== undefined)
    log.warn({ detail: access.problem }, 'audit: could not ask for its RBAC; starting anyway');
  const resources = discovered.served.filter(
    (resource) => !deniedCustom.some((denied) => customResourceOf([resource], denied) !== undefined),
  );
  return runElectedAudit(options, kube, resources, leaseNamespace);
}

/** The custom resource a denied list or watch is about, if it is one. */
function customResourceOf(
  resources: readonly WorkloadResource[],
  denied: { readonly group: string; readonly resource: string },
): WorkloadResource | undefined {
  return resources.find((r) => !r.builtIn && r.group === denied.group && r.resource === denied.resource);
}

function runElectedAudit(
  options: StartAuditOptions,
  kube: KubeAccess,
  resources: readonly WorkloadResource[],
  leaseNamespace: string,
): RunningAudit {
  const { config, log, metrics } = options;
  const identity = `${options.env['POD_NAME'] || hostname()}_${randomUUID().slice(0, 8)}`;
  const versions = new Map(
    resources.map((r) => [`${r.group}/${r.kind}`, r.group ? `${r.group}/${r.version}` : r.version]),
  );
  const sink = createAuditSink({
    metrics,
    log,
    recorder: createEventRecorder({
      kubeConfig: kube.kubeConfig,
      reportingComponent: 'pullguard-audit',
      reportingInstance: identity,
      requestTimeoutMs: config.network.requestTimeoutMs * 3,
    }),
    apiVersionOf: (group, kind) => versions.get(`${group}/${kind}`) ?? 'v1',
  });
  let term: Promise<Term | undefined> = Promise.resolve(undefined);
  let leading = false;
  const lead = (): void => {
    leading = true;
    metrics.auditLeader.set(1);
    log.info({ identity }, 'audit: leading; auditing running workloads');
    term = term
      .then(() => (leading ? startTerm(options, kube, resources, sink) : undefined))
      .catch((error: unknown) => {
        log.warn({ error: (error as Error)?.message }, 'audit: could not start auditing');
        return undefined;
      });
  };
  const follow = (): void => {
    leading = false;
    metrics.auditLeader.set(0);
    term = term.then(async (running) => {
      await running?.stop();
      return undefined;
    });
  };
  const elector: LeaseElector = startLeaseElector({
    kubeConfig: kube.kubeConfig,
    namespace: leaseNamespace,
    name: config.audit.leaseName,
    identity,
    ...(options.lease
      ? {
          leaseDurationSeconds: options.lease.durationSeconds,
          renewDeadlineSeconds: options.lease.renewDeadlineSeconds,
          retryPeriodSeconds: options.lease.retrySeconds,
        }
      : {}),
    onStartedLeading: lead,
    onStoppedLeading: follow,
    log,
  });
  let stopping: Promise<void> | undefined;
  return {
    leading: () => leading,
    stop: () =>
      (stopping ??= (async () => {
        await elector.stop();
        follow();
        await term;
        await sink.idle();
      })()),
  };
}

/** One stretch of leadership: informers, an engine, the loop. */
interface Term {
  stop(): Promise<void>;
}

async function startTerm(
  options: StartAuditOptions,
  kube: KubeAccess,
  resources: readonly WorkloadResource[],
  sink: ServeAuditSink,
): Promise<Term> {
  const { config, log } = options;
  const catalog = workloadCatalog(config.workloads);
  const informers: WorkloadInformers = startWorkloadInformers({ kubeConfig: kube.kubeConfig, resources, log });
  let engine: Promise<Engine> | undefined;
  let loop: AuditLoop | undefined;
  let checks: readonly AuditCheck[] = [];
  let dirty = true;
  let cappedLogged = false;
  const inventory = (): readonly AuditCheck[] => {
    if (!dirty) return checks;
    dirty = false;
    const built = buildInventory(catalog, informers.objects());
    if (built.capped && !cappedLogged) {
      cappedLogged = true;
      log.warn({ objects: built.objects }, 'audit: too many workloads; some are not audited');
    }
    checks = built.checks;
    return checks;
  };
  let stopped = false;
  const begin = async (): Promise<void> => {
    if (loop !== undefined || stopped || !informers.synced()) return;
    engine ??= options.composeAuditEngine();
    const { reviewer } = await engine;
    if (loop !== undefined || stopped) return;
    loop = startAuditLoop({
      intervalMs: config.audit.intervalMs,
      concurrency: config.audit.concurrency,
      check: createAuditCheck({ reviewer, budgetMs: Math.max(config.network.budgetMs, 20_000) }),
      checks: inventory,
      sink,
      clock: {
        now: () => Date.now(),
        setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
        clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
      },
    });
    log.info({ checks: inventory().length, intervalMs: config.audit.intervalMs }, 'audit: workloads listed; auditing');
  };
  const starting = (): void => {
    begin().catch((error: unknown) => log.warn({ error: (error as Error)?.message }, 'audit: could not start'));
  };
  informers.onChange(() => {
    dirty = true;
    starting();
  });
  starting();
  return {
    async stop() {
      stopped = true;
      await informers.stop();
      if (loop !== undefined) {
        await loop.stop();
        sink.actions(loop.clearedActions());
      }
      sink.clearOutcomes();
      await (await engine?.catch(() => undefined))?.close();
    },
  };
}
