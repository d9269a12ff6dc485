/**
 * `pullguard scan`'s use case: every distinct check of an inventory through the {@link AuditCheckPort}, at most
 * `concurrency` at once, under the run's signal (stopped: the checks not done are `error`), into a
 * {@link ScanReport} with one row per image use. Pure over its ports; never throws.
 */
import type { AuditCheckPort } from './audit-check-port.js';
import type { CheckResult } from './audit-state.js';
import type { AuditCheck, Inventory, WorkloadRef } from './inventory.js';
import { SCAN_OUTCOMES, type ScanOutcome, type ScanProblem, type ScanReport, type ScanRow } from './scan-report.js';

/** What listing the cluster said besides its objects (the Kubernetes adapter's listing, in plain words). */
export interface ScanListing {
  /** One line per resource that could not be listed. */
  readonly problems: readonly string[];
  /** `workflows.argoproj.io`: custom resources the cluster does not serve. */
  readonly notServed: readonly string[];
  readonly capped: boolean;
}

export interface RunScanDeps {
  readonly check: AuditCheckPort;
  /** At most this many checks at once (`audit.concurrency`). */
  readonly concurrency: number;
  readonly signal: AbortSignal;
}

const STOPPED: CheckResult = { outcome: 'error', message: 'not checked: the scan was stopped' };

export async function runScan(inventory: Inventory, listing: ScanListing, deps: RunScanDeps): Promise<ScanReport> {
  const results = new Map<AuditCheck, CheckResult>();
  const pending = [...inventory.checks];
  const worker = async (): Promise<void> => {
    for (let check = pending.shift(); check !== undefined; check = pending.shift()) {
      if (deps.signal.aborted) {
        results.set(check, STOPPED);
        continue;
      }
      results.set(check, await safeCheck(deps.check, check, deps.signal));
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(deps.concurrency) || 1, inventory.checks.length));
  await Promise.all(Array.from({ length: workers }, worker));
  const rows: ScanRow[] = [];
  for (const check of inventory.checks) {
    const result = results.get(check) ?? STOPPED;
    for (const use of check.uses) rows.push(rowOf(check, use, result));
  }
  rows.sort(compareRows);
  const outcomes = Object.fromEntries(SCAN_OUTCOMES.map((outcome) => [outcome, 0])) as Record<ScanOutcome, number>;
  for (const row of rows) outcomes[row.outcome]++;
  const problems: ScanProblem[] = [
    ...listing.problems.map((message) => ({ message })),
    ...inventory.problems.map(({ workload, problem }) => ({ message: `${labelOf(workload)}: ${problem}` })),
    ...(inventory.moreProblems > 0
      ? [{ message: `${inventory.moreProblems} more objects pullguard cannot read` }]
      : []),
  ];
  return Object.freeze({
    rows: Object.freeze(rows),
    summary: Object.freeze({
      images: new Set(inventory.checks.map((check) => check.canonical ?? check.image)).size,
      checks: inventory.checks.length,
      uses: rows.length,
      outcomes: Object.freeze(outcomes),
    }),
    problems: Object.freeze(problems),
    notServed: Object.freeze([...listing.notServed].sort()),
    capped: listing.capped || inventory.capped !== undefined,
    stopped: deps.signal.aborted,
  });
}

/** The port resolves, never rejects; this keeps one broken check from failing the run if an adapter does. */
async function safeCheck(port: AuditCheckPort, check: AuditCheck, signal: AbortSignal): Promise<CheckResult> {
  try {
    return await port(check, signal);
  } catch (error) {
    return { outcome: 'error', message: `the check failed (${error instanceof Error ? error.name : 'error'})` };
  }
}

function rowOf(check: AuditCheck, use: AuditCheck['uses'][number], result: CheckResult): ScanRow {
  const message = messageOf(result);
  return Object.freeze({
    namespace: use.namespace,
    kind: kindLabel(use),
    name: use.name,
    container: use.container,
    path: use.path,
    image: check.image,
    outcome: result.outcome,
    ...(result.outcome === 'unavailable' ? { class: result.class } : {}),
    ...(message !== undefined ? { message } : {}),
  });
}

function messageOf(result: CheckResult): string | undefined {
  switch (result.outcome) {
    case 'unavailable':
      return result.message;
    case 'skipped':
      return result.reason;
    case 'error':
      return result.message;
    default:
      return undefined;
  }
}

/** Built-in kinds by name; a custom resource's with its group, as kubectl names it: `Workflow.argoproj.io`. */
function kindLabel(workload: WorkloadRef): string {
  return workload.group === '' || workload.group === 'apps' || workload.group === 'batch'
    ? workload.kind
    : `${workload.kind}.${workload.group}`;
}

function labelOf(workload: WorkloadRef): string {
  return `${kindLabel(workload)} ${workload.namespace}/${workload.name}`;
}

function compareRows(a: ScanRow, b: ScanRow): number {
  return (
    compare(a.namespace, b.namespace) || compare(a.kind, b.kind) || compare(a.name, b.name) || compare(a.path, b.path)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
