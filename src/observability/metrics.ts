/**
 * The Prometheus metrics of docs/design.md §6, on a registry of their own so that tests and several app instances in
 * one process never collide. Label values are bounded: no image names or user names, ever. The one exception is the
 * audit's sparse gauge, which names the workloads whose images are unavailable: it holds a series only while a use
 * fails, so its size is bounded by what is broken (and by the audit's cap on failing uses), never by the cluster.
 */
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { talliedCounter, type TalliedCounter } from './counter-tally.js';

export interface Metrics {
  readonly registry: Registry;
  readonly admissionRequests: TalliedCounter<'kind' | 'operation' | 'decision' | 'dry_run'>;
  readonly admissionDuration: Histogram<never>;
  readonly imageChecks: TalliedCounter<'outcome' | 'registry'>;
  readonly registryRequestDuration: Histogram<'registry'>;
  readonly registryRateWait: Histogram<'registry'>;
  readonly cacheRequests: TalliedCounter<'result'>;
  readonly certExpiry: Gauge<never>;
  /** 1 for each container image use the audit finds unavailable; no series for the others. */
  readonly auditImageUnavailable: Gauge<'namespace' | 'kind' | 'name' | 'container' | 'class'>;
  readonly auditLastRun: Gauge<never>;
  readonly auditImages: Gauge<'outcome'>;
  readonly auditLeader: Gauge<never>;
}

export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    admissionRequests: talliedCounter({
      name: 'pullguard_admission_requests_total',
      help: 'AdmissionReviews answered, by kind, operation, decision and dry run.',
      labelNames: ['kind', 'operation', 'decision', 'dry_run'] as const,
      registers: [registry],
    }),
    admissionDuration: new Histogram({
      name: 'pullguard_admission_duration_seconds',
      help: 'Time from receiving an AdmissionReview to answering it.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    imageChecks: talliedCounter({
      name: 'pullguard_image_checks_total',
      help: 'Image resolutions by outcome and registry (configured hosts by name, everything else "other").',
      labelNames: ['outcome', 'registry'] as const,
      registers: [registry],
    }),
    registryRequestDuration: new Histogram({
      name: 'pullguard_registry_request_duration_seconds',
      help: 'Duration of HTTP requests to registries and their token endpoints.',
      labelNames: ['registry'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    registryRateWait: new Histogram({
      name: 'pullguard_registry_rate_wait_seconds',
      help: 'Time requests to registries waited for their turn under network.requestsPerSecondPerRegistry.',
      labelNames: ['registry'] as const,
      buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    cacheRequests: talliedCounter({
      name: 'pullguard_cache_requests_total',
      help: 'Image result cache lookups: hit, miss, or coalesced onto an in-flight miss.',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    certExpiry: new Gauge({
      name: 'pullguard_cert_expiry_timestamp_seconds',
      help: 'Expiry (notAfter) of the serving certificate currently loaded, as a Unix timestamp.',
      registers: [registry],
    }),
    auditImageUnavailable: new Gauge({
      name: 'pullguard_audit_image_unavailable',
      help: 'Set to 1 for each running workload container whose image would fail to pull now (only those: sparse).',
      labelNames: ['namespace', 'kind', 'name', 'container', 'class'] as const,
      registers: [registry],
    }),
    auditLastRun: new Gauge({
      name: 'pullguard_audit_last_run_timestamp_seconds',
      help: 'When the audit last finished a full pass over the running images, as a Unix timestamp.',
      registers: [registry],
    }),
    auditImages: new Gauge({
      name: 'pullguard_audit_images',
      help: 'Distinct (image, credentials, placement) checks of the audit, by their latest outcome.',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    auditLeader: new Gauge({
      name: 'pullguard_audit_leader',
      help: '1 while this replica holds the audit Lease and audits, else 0.',
      registers: [registry],
    }),
  };
}
