/** Where in a pod spec an image is used. */
export type ImageUseSection = 'initContainers' | 'containers' | 'ephemeralContainers' | 'volumes';

/** One image use in a pod spec, with the field path a kubectl user would read. docs/design.md §1.1. */
export interface ImageUse {
  /** Exactly as written in the object (not normalized). */
  readonly image: string;
  /** Container name, or the volume name for image volumes ('' when the object has none). */
  readonly name: string;
  readonly section: ImageUseSection;
  /** kubectl-style: `spec.template.spec.initContainers[1].image`, `spec.volumes[0].image.reference`. */
  readonly path: string;
  /** Container `imagePullPolicy` / volume `image.pullPolicy`, as written; absent when not written. */
  readonly pullPolicy?: string;
}
