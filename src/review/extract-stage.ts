/**
 * The extract stage: which kind (the reviewer's WorkloadCatalog: built-in kinds, `workloads:` entries, built-in custom
 * resource rows), whether the request is checked at all (skip-rules.ts), the pod spec views and their image uses (on
 * UPDATE only the new or changed ones, changed-uses.ts), the namespace and the object's label for messages.
 */
import type { PodSpecView } from '../workload/extract-pod-spec.js';
import type { ImageUse } from '../workload/image-use.js';
import { metadataOf } from '../workload/object-metadata.js';
import type { WorkloadCatalog } from '../workload/workload-catalog.js';
import { changedUses } from './changed-uses.js';
import { skipReason } from './skip-rules.js';

export interface ExtractInput {
  readonly kind: { readonly group: string; readonly version?: string; readonly kind: string };
  readonly operation: string;
  readonly subResource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly object: unknown;
  readonly oldObject?: unknown;
}

export type Extracted =
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'invalid'; readonly problem: string }
  | Extraction;

/** One pod spec view of the object and the uses of it to check. */
export interface ViewToCheck {
  readonly view: PodSpecView;
  /** All of the view's uses, or on UPDATE its new and changed ones. */
  readonly uses: readonly ImageUse[];
}

/** A request to check: its pod spec views (one for a Deployment; one per pod spec and one for bare containers for a
 * custom resource), in the catalog's order. */
export interface Extraction {
  readonly status: 'extracted';
  readonly views: readonly ViewToCheck[];
  readonly namespace: string;
  /** `Deployment shop/web`, for messages. */
  readonly objectLabel: string;
}

export function extractStage(catalog: WorkloadCatalog, input: ExtractInput): Extracted {
  const { group, kind } = input.kind;
  const workload = catalog.find(group, kind, input.kind.version);
  if (!workload) {
    const reason = catalog.find(group, kind)
      ? `${kind} ${group}/${input.kind.version ?? ''} is an older schema pullguard does not read`
      : `kind ${kind} carries no pod spec pullguard checks`;
    return { status: 'skipped', reason };
  }
  const skip = skipReason({
    isCorePod: (group === '' || group === 'core') && kind === 'Pod',
    operation: input.operation,
    object: input.object,
    ...(input.subResource ? { subResource: input.subResource } : {}),
  });
  if (skip) return { status: 'skipped', reason: skip };
  const extracted = catalog.extract(group, kind, input.object);
  if (extracted === undefined)
    return { status: 'skipped', reason: `kind ${kind} carries no pod spec pullguard checks` };
  if (!extracted.ok) return { status: 'invalid', problem: extracted.problem };
  const previous =
    input.operation === 'UPDATE' && input.oldObject ? catalog.extract(group, kind, input.oldObject) : undefined;
  // Paths are full field paths, so the old object's uses of all views are compared at once.
  const before = previous?.ok ? previous.views.flatMap((view) => view.uses) : undefined;
  const views = extracted.views.map((view) =>
    Object.freeze({ view, uses: before ? changedUses(view.uses, before) : view.uses }),
  );
  const namespace = input.namespace || stringField(metadataOf(input.object), 'namespace') || 'default';
  return {
    status: 'extracted',
    views: Object.freeze(views),
    namespace,
    objectLabel: labelOf(workload.kind, namespace, input.name, input.object),
  };
}

/** Every use to check, in view order. */
export function usesToCheck(extraction: Extraction): ImageUse[] {
  return extraction.views.flatMap((entry) => entry.uses);
}

/** How many uses there are to check (without building the list: this runs on every review). */
export function countUsesToCheck(extraction: Extraction): number {
  let count = 0;
  for (const entry of extraction.views) count += entry.uses.length;
  return count;
}

function labelOf(kind: string, namespace: string, name: string | undefined, object: unknown): string {
  const metadata = metadataOf(object);
  const objectName = name || stringField(metadata, 'name') || stringField(metadata, 'generateName') || '<unnamed>';
  return kind === 'PodTemplate' || namespace ? `${kind} ${namespace}/${objectName}` : `${kind} ${objectName}`;
}

function stringField(record: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
