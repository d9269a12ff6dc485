/**
 * Reads a custom resource that embeds pod specs or containers (custom-workload-kind.ts), built-in or configured,: one pod spec view per pod
 * spec found, plus one for the bare containers (with the row's `podFields` as its pod-level fields), so the rest of
 * the review treats them as it treats a Deployment's. Pure; never throws on bad input.
 *
 * Decisions (as for built-in kinds, extract-pod-spec.ts): a container whose image is absent, null or '' is skipped;
 * a pod spec, container or object on the way that has the wrong shape is a problem named by its field path.
 */
import type { CustomWorkloadPaths } from './custom-workload-kind.js';
import { viewPodSpec, type PodSpecView } from './extract-pod-spec.js';
import type { ImageUse } from './image-use.js';
import { matchPathPattern } from './path-pattern-match.js';
import { formatFieldPath } from '../runtime/field-path.js';
import { isRecord } from '../runtime/json-shape.js';

export type CustomExtractResult =
  { readonly ok: true; readonly views: readonly PodSpecView[] } | { readonly ok: false; readonly problem: string };

type Step<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** Views in table order: every pod spec (in document order), then the bare containers' view when it has uses. */
export function extractCustomWorkload(workload: CustomWorkloadPaths, object: unknown): CustomExtractResult {
  if (!isRecord(object)) return { ok: false, problem: `${workload.kind} must be an object` };
  const views: PodSpecView[] = [];
  for (const pattern of workload.podSpecs) {
    const matched = matchPathPattern(object, pattern);
    if (!matched.ok) return matched;
    for (const { path, value } of matched.matches) {
      const viewed = viewPodSpec(workload, path, value, { isTemplate: true });
      if (!viewed.ok) return viewed;
      views.push(viewed.view);
    }
  }
  const uses = bareContainerUses(workload, object);
  if (!uses.ok) return uses;
  if (uses.value.length > 0) {
    const fields = podFields(workload, object);
    if (!fields.ok) return fields;
    const viewed = viewPodSpec(workload, fields.value.path, fields.value.value, {
      isTemplate: true,
      uses: uses.value,
      ...(workload.podFields === undefined ? { noPodFields: true as const } : {}),
    });
    if (!viewed.ok) return viewed;
    views.push(viewed.view);
  }
  return { ok: true, views: Object.freeze(views) };
}

function bareContainerUses(workload: CustomWorkloadPaths, object: Record<string, unknown>): Step<ImageUse[]> {
  const uses: ImageUse[] = [];
  const sites = [
    ...workload.initContainers.map((pattern) => ({ pattern, section: 'initContainers' as const })),
    ...workload.containers.map((pattern) => ({ pattern, section: 'containers' as const })),
  ];
  for (const { pattern, section } of sites) {
    const matched = matchPathPattern(object, pattern);
    if (!matched.ok) return matched;
    for (const { path, value } of matched.matches) {
      if (!isRecord(value)) return { ok: false, problem: `${path} must be an object` };
      const { image, name, imagePullPolicy } = value;
      for (const [field, text] of [
        ['image', image],
        ['name', name],
        ['imagePullPolicy', imagePullPolicy],
      ] as const) {
        if (text != null && typeof text !== 'string')
          return { ok: false, problem: `${path}.${field} must be a string` };
      }
      if (typeof image !== 'string' || image === '') continue;
      const use: ImageUse = { image, name: typeof name === 'string' ? name : '', section, path: `${path}.image` };
      uses.push(Object.freeze(typeof imagePullPolicy === 'string' ? { ...use, pullPolicy: imagePullPolicy } : use));
    }
  }
  return { ok: true, value: uses };
}

/**
 * The object holding the bare containers' pod-level fields, and its path (used in messages such as "list it under
 * spec.imagePullSecrets"). A row without `podFields` gets an empty one at `spec`.
 */
function podFields(
  workload: CustomWorkloadPaths,
  object: Record<string, unknown>,
): Step<{ path: string; value: unknown }> {
  if (workload.podFields === undefined) return { ok: true, value: { path: 'spec', value: undefined } };
  const matched = matchPathPattern(object, workload.podFields);
  if (!matched.ok) return matched;
  const [first] = matched.matches;
  const path = first?.path ?? formatFieldPath(workload.podFields);
  return { ok: true, value: { path, value: first?.value } };
}
