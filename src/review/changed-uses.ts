/**
 * On UPDATE only image uses that are new or changed are checked (docs/design.md §1.8): a scale, a label change or a
 * rollout restart must never depend on a registry. A use in a pod spec is identified by the pod spec's path, its list
 * and its container (or volume) name, so reordering containers is no change; a custom resource's bare container
 * (`spec.templates[0].container.image`, `spec.steps[2].image`) has no list of its own and is identified by its path.
 */
import type { ImageUse } from '../workload/image-use.js';

export function changedUses(current: readonly ImageUse[], previous: readonly ImageUse[]): ImageUse[] {
  const before = new Map(previous.map((use) => [useKey(use), use.image]));
  return current.filter((use) => before.get(useKey(use)) !== use.image);
}

function useKey(use: ImageUse): string {
  const list = use.path.lastIndexOf(`.${use.section}[`);
  return list < 0 ? `\u0000${use.path}` : `${use.path.slice(0, list)}\u0000${use.section}\u0000${use.name}`;
}
