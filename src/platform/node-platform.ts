/**
 * The platform a node's container runtime pulls for, derived from the Node object. Pure.
 *
 * Decisions:
 * - `status.nodeInfo.operatingSystem`/`architecture` win over the labels. Both come from the kubelet's Go
 *   `GOOS`/`GOARCH`, but the status is what the kubelet reports about the machine it runs on, while labels can be
 *   edited by anyone allowed to patch nodes. The labels `kubernetes.io/os`/`arch` (then the deprecated `beta.`
 *   ones) are the fallback when the status lacks a value.
 * - There is no variant label (containerd reads it from /proc/cpuinfo). `arm64` gets no variant (= `v8`, what
 *   containerd detects on virtually all 64-bit ARM servers); 32-bit `arm` gets `v7`, containerd's default for a
 *   variant-less `arm` and by far the most common 32-bit ARM node. Other architectures have no variant.
 */
import { normalizePlatform } from './match-platform.js';
import type { Platform } from './platform.js';

/** The fields of a Node that say which platform it runs. */
export interface NodePlatformSource {
  readonly labels: Readonly<Record<string, string>>;
  readonly operatingSystem?: string;
  readonly architecture?: string;
}

/** The node's platform, or undefined when neither the status nor the labels say it. */
export function nodePlatform(source: NodePlatformSource): Platform | undefined {
  const os = firstNonEmpty(
    source.operatingSystem,
    label(source, 'kubernetes.io/os'),
    label(source, 'beta.kubernetes.io/os'),
  );
  const architecture = firstNonEmpty(
    source.architecture,
    label(source, 'kubernetes.io/arch'),
    label(source, 'beta.kubernetes.io/arch'),
  );
  if (os === undefined || architecture === undefined) return undefined;
  // Normalizing gives `arm` its implied `v7` and drops `arm64`'s implied `v8`.
  return normalizePlatform({ os, architecture }, os);
}

function label(source: NodePlatformSource, key: string): string | undefined {
  return Object.hasOwn(source.labels, key) ? source.labels[key] : undefined;
}

function firstNonEmpty(...values: (string | undefined)[]): string | undefined {
  return values.find((v) => v !== undefined && v.trim() !== '')?.trim();
}
