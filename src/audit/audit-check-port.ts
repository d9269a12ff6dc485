/**
 * pullguard's engine on one distinct check of the audit, as a port: `pullguard scan` and the audit in `serve`
 * implement it with the webhook's reviewer (src/cli/audit-check.ts); tests implement it in memory. It resolves,
 * never rejects: a check that could not run is `error`.
 */
import type { CheckResult } from './audit-state.js';
import type { AuditCheck } from './inventory.js';

export type AuditCheckPort = (check: AuditCheck, signal: AbortSignal) => Promise<CheckResult>;
