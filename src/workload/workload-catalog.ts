/**
 * Every kind pullguard checks, and their pod spec views: the one entry point for check's classifier and the webhook's
 * extract stage. Lookup order: the built-in kinds (pod-spec-paths.ts, one view each; never overridden), then the
 * `workloads:` config entries (so an admin can add a kind or correct a row for a CRD version the table does not
 * know), then the built-in custom resource rows (custom-workloads.ts, one view per pod spec plus one for bare
 * containers). Pure; never throws on bad input.
 */
import { readsVersion, type CustomWorkloadPaths } from './custom-workload-kind.js';
import { findCustomWorkloadKind } from './custom-workloads.js';
import { extractCustomWorkload, type CustomExtractResult } from './extract-custom-workload.js';
import { extractPodSpec } from './extract-pod-spec.js';
import { findWorkloadKind, type WorkloadName } from './pod-spec-paths.js';

export interface WorkloadCatalog {
  /**
   * The row for a group ('' or 'core' for the core group) and kind (case-sensitive), if pullguard checks it; with a
   * `version`, only if the row reads that version (custom-workload-kind.ts `versions`).
   */
  find(
    group: string,
    kind: string,
    version?: string,
  ): (WorkloadName & Pick<CustomWorkloadPaths, 'versions'>) | undefined;
  /** undefined when pullguard does not check the kind; otherwise the views, or the first problem. */
  extract(group: string, kind: string, object: unknown): CustomExtractResult | undefined;
}

/** The built-in kinds, plus `configured` (the `workloads:` entries, in file order; a later repeat is ignored). */
export function workloadCatalog(configured: readonly CustomWorkloadPaths[] = []): WorkloadCatalog {
  const byKey = new Map<string, CustomWorkloadPaths>();
  for (const row of configured) {
    const key = keyOf(row.group, row.kind);
    if (!byKey.has(key)) byKey.set(key, row);
  }
  const findCustom = (group: string, kind: string): CustomWorkloadPaths | undefined =>
    byKey.get(keyOf(group, kind)) ?? findCustomWorkloadKind(normalGroup(group), kind);
  return {
    find(group, kind, version) {
      const row = findWorkloadKind(group, kind) ?? findCustom(group, kind);
      return row !== undefined && readsVersion(row, version) ? row : undefined;
    },
    extract(group, kind, object) {
      const builtIn = findWorkloadKind(group, kind);
      if (builtIn !== undefined) {
        const result = extractPodSpec(builtIn, object);
        return result.ok ? { ok: true, views: Object.freeze([result.view]) } : result;
      }
      const custom = findCustom(group, kind);
      return custom === undefined ? undefined : extractCustomWorkload(custom, object);
    },
  };
}

/** The built-in kinds only (no config), shared: what `check` without a config file and the tests use. */
export const BUILT_IN_WORKLOADS: WorkloadCatalog = workloadCatalog();

function keyOf(group: string, kind: string): string {
  return `${normalGroup(group)}/${kind}`;
}

function normalGroup(group: string): string {
  return group === 'core' ? '' : group;
}
