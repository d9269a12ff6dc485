/**
 * The report of one `pullguard scan`: a row per image use (a workload's container, init container or image volume)
 * with its check's outcome, what could not be listed or read, and the counts. Built by run-scan.ts, rendered by
 * render-scan-text.ts and render-scan-json.ts (docs/scan-json.md). Pure data.
 */
import type { FindingClass } from '../policy/finding-class.js';
import type { CheckResult } from './audit-state.js';

export type ScanOutcome = CheckResult['outcome'];

export const SCAN_OUTCOMES: readonly ScanOutcome[] = Object.freeze(['unavailable', 'error', 'skipped', 'available']);

/** One image use and what its check found. */
export interface ScanRow {
  readonly namespace: string;
  /** `Deployment`, `CronJob`; a custom resource's kind with its group: `Workflow.argoproj.io`. */
  readonly kind: string;
  readonly name: string;
  /** The container's name (the volume's for an image volume; '' when the object gives none). */
  readonly container: string;
  /** kubectl-style field path of the image. */
  readonly path: string;
  /** The image as written. */
  readonly image: string;
  readonly outcome: ScanOutcome;
  /** For `unavailable`: the finding's class. */
  readonly class?: FindingClass;
  /** Why: the finding's message (`unavailable`), what stopped the check (`error`), why it is skipped. */
  readonly message?: string;
}

/** What could not be listed (a resource forbidden, the API down) or read (an object pullguard cannot parse). */
export interface ScanProblem {
  /** `cannot list deployments.apps in all namespaces: forbidden (HTTP 403)`, `CronJob shop/nightly: …`. */
  readonly message: string;
}

export interface ScanSummary {
  /** Distinct images (canonical references) checked. */
  readonly images: number;
  /** Distinct checks: image, credentials and placement. */
  readonly checks: number;
  /** Image uses: the rows. */
  readonly uses: number;
  /** Uses by outcome. */
  readonly outcomes: Readonly<Record<ScanOutcome, number>>;
}

export interface ScanReport {
  /** Sorted by namespace, kind, name, then field path. */
  readonly rows: readonly ScanRow[];
  readonly summary: ScanSummary;
  readonly problems: readonly ScanProblem[];
  /** Custom resources pullguard knows that the cluster does not serve (their CRD is not installed): not errors. */
  readonly notServed: readonly string[];
  /** The listing or the inventory stopped at a cap: the cluster holds more than was checked. */
  readonly capped: boolean;
  /** The run was stopped (Ctrl-C) before every check finished. */
  readonly stopped: boolean;
}
