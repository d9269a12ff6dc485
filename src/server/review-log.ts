/**
 * The one JSON line per review (uid, kind, namespace, name or generateName, operation, dryRun, decision, duration,
 * skip reason, findings) and the requests counter. Every string in them comes from the request, so each is cut to
 * what the field can legitimately hold: a 6 MB kind or name still makes a line of a few hundred bytes.
 *
 * Which level the line gets is docs/design.md §5.4's rule ({@link reviewLogLevel}); a line its logger would drop
 * is not built at all, since a clean allow at `debug` is the warm path's common case.
 */
import type { AdmissionRequest } from '../admission/review-schema.js';
import type { Config } from '../config/load-config.js';
import { clip, LOG_LIMITS } from '../observability/bounded-text.js';
import type { Metrics } from '../observability/metrics.js';
import { logFindings } from '../review/render-outcome.js';
import type { ReviewOutcome } from '../review/review-object.js';
import { metadataOf } from '../workload/object-metadata.js';
import type { WorkloadCatalog } from '../workload/workload-catalog.js';

/** A pino logger fits. */
interface ReviewLineLog {
  isLevelEnabled(level: string): boolean;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

type ReviewLogPolicy = Config['logging']['reviews'];

type Reviewed = Extract<ReviewOutcome, { status: 'reviewed' }>;
type FindingClass = Reviewed['decision']['findings'][number]['class'];

/**
 * The classes that mean an image or a step was not verified because something failed (the registry, its network,
 * the deadline, the Kubernetes API, or pullguard itself: an internal error becomes an `unreachable` finding).
 */
const UNVERIFIED: ReadonlySet<FindingClass> = new Set<FindingClass>(['unreachable', 'timeout', 'rateLimited']);

/**
 * The level of a review's line (docs/design.md §5.4). With `reviews: all`, always `info`. Otherwise `info` for a
 * review with a finding (a deny or warn verdict); for one that failed open, that is with an `unreachable`,
 * `timeout` or `rateLimited` finding whatever verdict the policy gave it (images admitted unverified), or that the
 * reviewer could not finish (`outcome` undefined); and for a malformed object. `debug` for a skip and for a clean
 * allow: no finding, or only findings the policy allows that are not of those three classes.
 */
export function reviewLogLevel(
  outcome: ReviewOutcome | undefined,
  verdict: string,
  reviews: ReviewLogPolicy,
): 'info' | 'debug' {
  if (reviews === 'all' || outcome === undefined || verdict !== 'allow') return 'info';
  if (outcome.status === 'skipped') return 'debug';
  if (outcome.status === 'invalid') return 'info';
  return outcome.decision.findings.some((f) => UNVERIFIED.has(f.class)) ? 'info' : 'debug';
}

/**
 * Writes the review line at {@link reviewLogLevel}'s level, if the logger writes that level. `outcome` undefined:
 * the reviewer failed, the review was admitted unverified (`internalError: true`).
 */
export function logReview(
  log: ReviewLineLog,
  reviews: ReviewLogPolicy,
  admission: AdmissionRequest,
  outcome: ReviewOutcome | undefined,
  verdict: string,
  durationMs: number,
): void {
  const level = reviewLogLevel(outcome, verdict, reviews);
  if (!log.isLevelEnabled(level)) return;
  const metadata = metadataOf(admission.object);
  const generateName =
    typeof metadata?.['generateName'] === 'string' ? clip(metadata['generateName'], LOG_LIMITS.name) : undefined;
  const name = clip(
    admission.name || (typeof metadata?.['name'] === 'string' ? metadata['name'] : undefined),
    LOG_LIMITS.name,
  );
  log[level](
    {
      uid: admission.uid, // at most 256 characters (review-schema.ts)
      kind: clip(admission.kind.kind, LOG_LIMITS.label),
      namespace: clip(admission.namespace, LOG_LIMITS.name),
      ...(name ? { name } : generateName ? { generateName } : {}),
      operation: admission.operation,
      dryRun: admission.dryRun === true,
      // The review's verdict, under the field name the log line has always used.
      decision: verdict,
      durationMs: Math.round(durationMs * 100) / 100,
      // Skip reasons quote the kind, a subresource or an owner's name.
      ...(outcome?.status === 'skipped' ? { skipped: clip(outcome.reason, LOG_LIMITS.message) } : {}),
      ...(outcome === undefined ? { internalError: true } : {}),
      findings: outcome ? logFindings(outcome) : [],
    },
    'review',
  );
}

/**
 * `workloads` is the webhook's catalog (built-in kinds, custom resource rows and `workloads:` entries): a kind it
 * checks is counted by its name, any other as `other`, so the label's values are that table plus the config.
 */
export function countReview(
  metrics: Metrics,
  workloads: WorkloadCatalog,
  admission: AdmissionRequest,
  verdict: string,
  durationMs: number,
): void {
  // Label values are bounded: the operation is one of four (the schema), the kind one pullguard checks or `other`.
  metrics.admissionRequests.inc({
    kind: workloads.find(admission.kind.group, admission.kind.kind)?.kind ?? 'other',
    operation: admission.operation,
    decision: verdict,
    dry_run: String(admission.dryRun === true),
  });
  metrics.admissionDuration.observe(durationMs / 1000);
}
