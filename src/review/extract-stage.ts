/**
 * The extract stage: which kind, whether the request is checked at all (skip-rules.ts), the pod spec's image uses
 * (on UPDATE only the new or changed ones, changed-uses.ts), the namespace and the object's label for messages.
 */
import { extractPodSpec, type PodSpecView } from '../workload/extract-pod-spec.js';
import type { ImageUse } from '../workload/image-use.js';
import { metadataOf } from '../workload/object-metadata.js';
import { findWorkloadKind } from '../workload/pod-spec-paths.js';
import { changedUses } from './changed-uses.js';
import { skipReason } from './skip-rules.js';

export interface ExtractInput {
  readonly kind: { readonly group: string; readonly kind: string };
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

/** A request to check: its pod spec and the image uses to check. */
export interface Extraction {
  readonly status: 'extracted';
  readonly view: PodSpecView;
  /** The uses to check: all of them, or on UPDATE the new and changed ones. */
  readonly uses: readonly ImageUse[];
  readonly namespace: string;
  /** `Deployment shop/web`, for messages. */
  readonly objectLabel: string;
}

export function extractStage(input: ExtractInput): Extracted {
  const workload = findWorkloadKind(input.kind.group, input.kind.kind);
  if (!workload) return { status: 'skipped', reason: `kind ${input.kind.kind} carries no pod spec pullguard checks` };
  const skip = skipReason({
    kindName: workload.kind,
    operation: input.operation,
    object: input.object,
    ...(input.subResource ? { subResource: input.subResource } : {}),
  });
  if (skip) return { status: 'skipped', reason: skip };
  const extracted = extractPodSpec(workload, input.object);
  if (!extracted.ok) return { status: 'invalid', problem: extracted.problem };
  const { view } = extracted;
  let uses: readonly ImageUse[] = view.uses;
  if (input.operation === 'UPDATE' && input.oldObject) {
    const previous = extractPodSpec(workload, input.oldObject);
    if (previous.ok) uses = changedUses(view.uses, previous.view.uses);
  }
  const namespace = input.namespace || stringField(metadataOf(input.object), 'namespace') || 'default';
  return {
    status: 'extracted',
    view,
    uses,
    namespace,
    objectLabel: labelOf(workload.kind, namespace, input.name, input.object),
  };
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
