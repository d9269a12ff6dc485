/**
 * One entry point for the callers (check's classifier, the webhook's extract stage): the pod spec views of any
 * checked object, built-in (pod-spec-paths.ts, one view) or custom resource (custom-workloads.ts, one view per pod
 * spec plus one for bare containers). Pure; never throws on bad input.
 */
import { findCustomWorkloadKind } from './custom-workloads.js';
import { extractCustomWorkload, type CustomExtractResult } from './extract-custom-workload.js';
import { extractPodSpec } from './extract-pod-spec.js';
import { findWorkloadKind, type WorkloadIdentity } from './pod-spec-paths.js';

/** The row for a group ('' or 'core' for the core group) and kind: built-in first, then custom. */
export function findAnyWorkloadKind(group: string, kind: string): WorkloadIdentity | undefined {
  return findWorkloadKind(group, kind) ?? findCustomWorkloadKind(group, kind);
}

/** undefined when pullguard does not check the kind; otherwise the views, or the first problem. */
export function extractWorkloadViews(group: string, kind: string, object: unknown): CustomExtractResult | undefined {
  const builtIn = findWorkloadKind(group, kind);
  if (builtIn !== undefined) {
    const result = extractPodSpec(builtIn, object);
    return result.ok ? { ok: true, views: Object.freeze([result.view]) } : result;
  }
  const custom = findCustomWorkloadKind(group, kind);
  return custom === undefined ? undefined : extractCustomWorkload(custom, object);
}
