/** What `serve` hands the audit and gets back (start-audit.ts, elected-audit.ts); light, so `serve` loads it always. */
import type { Config } from '../config/load-config.js';
import type { KubeAccess } from '../kube/kube-config.js';
import type { Metrics } from '../observability/metrics.js';
import type { Engine } from './compose-engine.js';

export interface AuditLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface StartAuditOptions {
  readonly config: Config;
  readonly kube: KubeAccess | undefined;
  readonly metrics: Metrics;
  readonly log: AuditLog;
  /** Composes the audit's own engine (paced, no result cache) when this replica first leads. */
  readonly composeAuditEngine: () => Promise<Engine>;
  /** POD_NAME, POD_NAMESPACE. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Lease timings in seconds (tests shorten them); client-go's defaults otherwise. */
  readonly lease?: {
    readonly durationSeconds: number;
    readonly renewDeadlineSeconds: number;
    readonly retrySeconds: number;
  };
}

export interface RunningAudit {
  /** True while this replica leads and audits. */
  leading(): boolean;
  /** Stops auditing, releases the Lease, withdraws the series. Idempotent. */
  stop(): Promise<void>;
}

export const AUDIT_OFF: RunningAudit = Object.freeze({ leading: () => false, stop: () => Promise.resolve() });
