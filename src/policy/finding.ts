/**
 * A finding: one thing pullguard noticed about an image use (or the pod as a whole), already in plain words.
 * Findings are data; {@link decide} turns them into a verdict and the renderers into text.
 */
import type { Outcome } from '../resolution/resolution.js';
import type { ImageUse } from '../workload/image-use.js';
import type { Verdict, FindingClass } from './finding-class.js';
import type { RuntimeFailure } from './runtime-words.js';

export interface Finding {
  readonly class: FindingClass;
  /** The registry outcome behind the finding, when there was a registry check (or `invalid` for the grammar). */
  readonly outcome?: Outcome;
  /** The image use concerned; absent for pod-level findings such as a missing pull secret. */
  readonly use?: ImageUse;
  /** For pod-level findings: what they are about, e.g. `pull secret shop/regcred`. */
  readonly subject?: string;
  /** For pod-level findings: the field concerned, kubectl-style, e.g. `spec.template.spec.imagePullSecrets[0]`. */
  readonly path?: string;
  /** The canonical reference (docs/design.md §1.2), when the image parsed. */
  readonly canonical?: string;
  /** The cause in plain words, complete sentence(s) for the denial message. */
  readonly cause: string;
  /** The concrete fix: a command or an edit. */
  readonly fix?: string;
  /** A short form for a warning line (the renderer prefixes the container and caps the length). */
  readonly short: string;
  /**
   * The pull failure the node's runtime would report, when the class alone does not say it (the platform the node
   * asks for, the network cause, the blocked prefix); see `runtimeFailureOf()` in runtime-failure.ts.
   */
  readonly runtimeFailure?: RuntimeFailure;
  /** For a missing tag: the closest existing tags, best first, as the cause lists them. */
  readonly suggestions?: readonly string[];
}

export interface DecidedFinding extends Finding {
  readonly verdict: Verdict;
  /** True when `mode: warn` (global or namespace) turned a deny into this warning. */
  readonly softened?: boolean;
}

/**
 * How a use is named in messages: `container "app"`, `init container "migrate"`, `image volume "data"`. A container
 * without a name (a custom resource's bare container, such as an Argo template's `container`) is named by where it
 * is: `container at spec.templates[1].container`.
 */
export function describeUse(use: ImageUse): string {
  if (!isUnnamedContainer(use)) return `${USE_NOUNS[use.section]} "${use.name}"`;
  const at = use.path.endsWith('.image') ? use.path.slice(0, -'.image'.length) : use.path;
  return `${USE_NOUNS[use.section]} at ${at}`;
}

/** A use and its field path, for lines that show both: `container "app" (spec.containers[0].image)`. */
export function describeUseWithPath(use: ImageUse): string {
  return isUnnamedContainer(use) ? `${USE_NOUNS[use.section]} (${use.path})` : `${describeUse(use)} (${use.path})`;
}

const USE_NOUNS: Readonly<Record<ImageUse['section'], string>> = {
  initContainers: 'init container',
  containers: 'container',
  ephemeralContainers: 'ephemeral container',
  volumes: 'image volume',
};

function isUnnamedContainer(use: ImageUse): boolean {
  return use.name === '' && use.section !== 'volumes';
}
