/**
 * The words of a platform finding (`platformMismatch`, `platformPartial`): what the image has, what the pod needs,
 * and how to fix it. Pure data; the policy/rendering layer decides where the text goes.
 */
import type { IndexPlatformCheck } from './match-platform.js';
import { formatPlatform, type Platform } from './platform.js';

export interface PlatformProblemText {
  /** e.g. `image docker.io/library/app:1 has linux/amd64 only; the pod can only run on linux/arm64 nodes` (no final period) */
  readonly cause: string;
  /** A nodeSelector (or affinity) to pin the pod, and/or a multi-arch build command. No final period. */
  readonly fix: string;
  /** At most {@link SHORT_LIMIT} characters, for an admission warning. */
  readonly short: string;
}

/** Longest `short` text: admission warnings are shown one per line by kubectl. */
export const SHORT_LIMIT = 80;

/**
 * Text for a `partial` or `mismatch` check; undefined when the check is `ok` (or `unknown`: nothing to claim).
 * `podOsName` is the pod's `spec.os.name`: pinning such a pod to nodes of another OS cannot work, so the fix never
 * suggests it.
 */
export function describePlatformProblem(
  result: IndexPlatformCheck,
  imageCanonical: string,
  podOsName?: string,
): PlatformProblemText | undefined {
  if (result.status !== 'partial' && result.status !== 'mismatch') return undefined;
  const has = result.available.length === 0 ? 'declares no platform' : `has ${imageHas(result.available)}`;
  const missing = list(result.unsupported);
  const cause =
    result.status === 'mismatch'
      ? `image ${imageCanonical} ${has}; the pod can only run on ${missing} nodes`
      : `image ${imageCanonical} ${has}; the pod can also land on ${missing} nodes, where the pull would fail`;
  const build = `build a multi-arch image (docker buildx build --platform ${buildxPlatforms(result).join(',')} --push)`;
  // Pin to what the pod can already run (partial) or to what the image has (mismatch; such nodes may be absent).
  const pinnable = result.status === 'partial' ? result.supported : result.available;
  const pinTo = podOsName ? pinnable.filter((p) => p.os === podOsName) : pinnable;
  const pin = pinSuggestion(pinTo, result.unsupported);
  const fix =
    pin === undefined
      ? build
      : result.status === 'partial'
        ? `pin the pod to nodes the image supports with ${pin}, or ${build}`
        : `${build}, or run the pod on nodes the image supports (${pin})`;
  return { cause, fix, short: shortText(result) };
}

function imageHas(platforms: readonly Platform[]): string {
  return platforms.length === 1 ? `${list(platforms)} only` : list(platforms);
}

function list(platforms: readonly Platform[]): string {
  return platforms.map(formatPlatform).join(', ');
}

function buildxPlatforms(result: IndexPlatformCheck): string[] {
  return [...new Set([...result.available, ...result.unsupported].map(formatPlatform))];
}

/**
 * `nodeSelector kubernetes.io/arch: amd64` (plus `kubernetes.io/os` when an OS must be excluded too), or an `In`
 * affinity for several architectures.
 */
function pinSuggestion(pinTo: readonly Platform[], avoid: readonly Platform[]): string | undefined {
  const arches = [...new Set(pinTo.map((p) => p.architecture))];
  const oses = [...new Set(pinTo.map((p) => p.os))];
  if (arches.length === 0) return undefined;
  const osToo = oses.length === 1 && avoid.some((p) => p.os !== oses[0]);
  if (arches.length === 1) {
    return `nodeSelector kubernetes.io/arch: ${arches[0]}${osToo ? `, kubernetes.io/os: ${oses[0]}` : ''}`;
  }
  return `required node affinity kubernetes.io/arch In [${arches.join(', ')}]${osToo ? ` and kubernetes.io/os In [${oses[0]}]` : ''}`;
}

function shortText(result: IndexPlatformCheck): string {
  for (const shown of [3, 2, 1]) {
    const has = result.available.length === 0 ? 'none' : compactList(result.available, shown);
    const text = `no image variant for ${compactList(result.unsupported, shown)} (image has ${has})`;
    if (text.length <= SHORT_LIMIT) return text;
  }
  const text = `no image variant for ${compactList(result.unsupported, 1)}`;
  return text.length <= SHORT_LIMIT ? text : `${text.slice(0, SHORT_LIMIT - 1)}…`;
}

function compactList(platforms: readonly Platform[], shown: number): string {
  const names = platforms.slice(0, shown).map(formatPlatform).join(', ');
  return platforms.length > shown ? `${names} +${platforms.length - shown} more` : names;
}
