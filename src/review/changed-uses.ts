/**
 * On UPDATE only image uses that are new or changed are checked (docs/design.md §1.8): a scale, a label change or a
 * rollout restart must never depend on a registry. A use is identified by its list and its container (or volume) name.
 */
import type { ImageUse } from '../workload/image-use.js';

export function changedUses(current: readonly ImageUse[], previous: readonly ImageUse[]): ImageUse[] {
  const before = new Map(previous.map((use) => [useKey(use), use.image]));
  return current.filter((use) => before.get(useKey(use)) !== use.image);
}

function useKey(use: ImageUse): string {
  return `${use.section}\u0000${use.name}`;
}
