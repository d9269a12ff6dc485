/** The port the audit checks one distinct (image, credentials, placement) through: the webhook's engine in pullguard. */
import type { CheckResult } from './audit-state.js';
import type { AuditCheck } from './inventory.js';

/** Resolves with the check's result; never rejects (a check that could not run is `error`). */
export type AuditCheckPort = (check: AuditCheck, signal: AbortSignal) => Promise<CheckResult>;
