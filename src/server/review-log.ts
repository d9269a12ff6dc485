/**
 * The one JSON line per review (uid, kind, namespace, name or generateName, operation, dryRun, decision, duration,
 * skip reason, findings) and the requests counter. Every string in them comes from the request, so each is cut to
 * what the field can legitimately hold: a 6 MB kind or name still makes a line of a few hundred bytes.
 */
import type { AdmissionRequest } from '../admission/review-schema.js';
import { clip, LOG_LIMITS } from '../observability/bounded-text.js';
import type { Metrics } from '../observability/metrics.js';
import { logFindings } from '../review/render-outcome.js';
import type { ReviewOutcome } from '../review/review-object.js';
import { metadataOf } from '../workload/object-metadata.js';
import type { WorkloadCatalog } from '../workload/workload-catalog.js';

interface InfoLog {
  info(obj: object, msg: string): void;
}

export function logReview(
  log: InfoLog,
  admission: AdmissionRequest,
  outcome: ReviewOutcome,
  verdict: string,
  durationMs: number,
): void {
  const metadata = metadataOf(admission.object);
  const generateName =
    typeof metadata?.['generateName'] === 'string' ? clip(metadata['generateName'], LOG_LIMITS.name) : undefined;
  const name = clip(
    admission.name || (typeof metadata?.['name'] === 'string' ? metadata['name'] : undefined),
    LOG_LIMITS.name,
  );
  log.info(
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
      ...(outcome.status === 'skipped' ? { skipped: clip(outcome.reason, LOG_LIMITS.message) } : {}),
      findings: logFindings(outcome),
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
