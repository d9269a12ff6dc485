/**
 * containerd's platform matcher (github.com/containerd/platforms: `database.go` normalizeArch, `compare.go`
 * platformVector/Only, `platforms.go` Normalize/matcher), ported so pullguard accepts exactly the index entries a
 * node's container runtime would pull. The CRI plugin pulls with `platforms.Default()`, which on Linux is
 * `Only(host)`: the host platform plus its ordered fallbacks (amd64 → 386, arm64 → arm/v8…v5, arm/v7 → v6 → v5).
 * Pure: no I/O.
 */
import { indexPlatformList, type IndexPlatforms } from './index-platforms.js';
import { formatPlatform, type Platform } from './platform.js';

/**
 * Canonical form of a platform, as containerd's `Normalize` computes it (newest `database.go`):
 * OS lower-cased, `macos` → `darwin`, empty OS → `defaultOs` (containerd uses the runtime's own OS: pass the
 * node's); `x86_64`/`x86-64` → `amd64` (`v1` dropped), `i386` → `386`, `aarch64` → `arm64` (`8`/`v8`/`v8.0`
 * dropped, `9`/`9.0`/`v9.0` → `v9`), `armhf` → `arm/v7`, `armel` → `arm/v6`, `arm` without variant → `arm/v7`.
 */
export function normalizePlatform(p: Platform, defaultOs = 'linux'): Platform {
  const osLower = p.os.toLowerCase();
  const os = osLower === '' ? defaultOs : osLower === 'macos' ? 'darwin' : osLower;
  const [architecture, variant] = normalizeArch(p.architecture, p.variant ?? '');
  return variant === '' ? { os, architecture } : { os, architecture, variant };
}

function normalizeArch(rawArch: string, rawVariant: string): [string, string] {
  const arch = rawArch.toLowerCase();
  const variant = rawVariant.toLowerCase();
  switch (arch) {
    case 'i386':
      return ['386', ''];
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return ['amd64', variant === 'v1' ? '' : variant];
    case 'aarch64':
    case 'arm64':
      if (variant === '8' || variant === 'v8' || variant === 'v8.0') return ['arm64', ''];
      if (variant === '9' || variant === '9.0' || variant === 'v9.0') return ['arm64', 'v9'];
      return ['arm64', variant];
    case 'armhf':
      return ['arm', 'v7'];
    case 'armel':
      return ['arm', 'v6'];
    case 'arm':
      if (variant === '' || variant === '7') return ['arm', 'v7'];
      if (variant === '5' || variant === '6' || variant === '8') return ['arm', `v${variant}`];
      return ['arm', variant];
    default:
      return [arch, variant];
  }
}

/** Go's strconv.Atoi on `s` without a leading `v`, or NaN. */
function versionNumber(s: string): number {
  const digits = s.startsWith('v') ? s.slice(1) : s;
  return /^[+-]?\d+$/.test(digits) ? Number(digits) : Number.NaN;
}

/**
 * The ordered list of platforms a node accepts, best first: containerd's `platformVector(Normalize(node))`,
 * i.e. what `platforms.Only(node)` matches.
 */
export function acceptedPlatforms(node: Platform): Platform[] {
  return platformVector(normalizePlatform(node)).map((p) => normalizePlatform(p, node.os));
}

function platformVector(p: Platform): Platform[] {
  const vector: Platform[] = [p];
  const at = (architecture: string, variant?: string): Platform =>
    variant ? { os: p.os, architecture, variant } : { os: p.os, architecture };
  switch (p.architecture) {
    case 'amd64': {
      const level = versionNumber(p.variant ?? '');
      if (level > 1) for (let v = level - 1; v >= 1; v--) vector.push(at('amd64', `v${v}`));
      vector.push(at('386'));
      break;
    }
    case 'arm': {
      const level = versionNumber(p.variant ?? '');
      if (level > 5) for (let v = level - 1; v >= 5; v--) vector.push(at('arm', `v${v}`));
      break;
    }
    case 'arm64': {
      let variant = p.variant ?? 'v8';
      const [majorText = '', minorText = ''] = variant.split('.', 2);
      let major = versionNumber(majorText);
      if (major >= 8) {
        // Go: the minor is read only from 4-character variants such as `v8.2`.
        let minor = variant.length === 4 && variant.includes('.') && /^\d+$/.test(minorText) ? Number(minorText) : 0;
        if (major === 9) {
          for (let m = minor - 1; m >= 0; m--) vector.push(at('arm64', m === 0 ? 'v9' : `v9.${m}`));
          // v9.0 diverged from v8.5: v9.x is compatible with v8.{x+5}, up to v8.9.
          minor = Math.min(minor + 5, 9);
          major = 8;
          vector.push(at('arm64', `v8.${minor}`));
        }
        for (let m = minor - 1; m >= 0; m--) vector.push(at('arm64', m === 0 ? `v${major}` : `v${major}.${m}`));
      }
      // Every arm64 v8.x/v9.x also runs 32-bit arm/v8 and below.
      if (variant.startsWith('v8.') || variant.startsWith('v9.')) variant = 'v8';
      vector.push(...platformVector(at('arm', variant)));
      break;
    }
  }
  return vector;
}

/** Buildx attestation manifests carry `unknown/unknown`; they are never runnable. */
function isAttestationPlatform(p: Platform): boolean {
  return p.os === 'unknown' && p.architecture === 'unknown';
}

function samePlatform(a: Platform, b: Platform): boolean {
  return a.os === b.os && a.architecture === b.architecture && (a.variant ?? '') === (b.variant ?? '');
}

/**
 * Whether a node running `node` would pull an index entry declaring `entry`. An entry without a platform is a
 * candidate (containerd then checks the image config, which pullguard does not fetch), so it is accepted.
 * Windows OS-version matching is not modelled: Windows entries match on os/arch/variant only.
 */
export function platformAccepts(node: Platform, entry: Platform | undefined): boolean {
  if (entry === undefined) return true;
  if (isAttestationPlatform(entry)) return false;
  const normalizedEntry = normalizePlatform(entry, normalizePlatform(node).os);
  return acceptedPlatforms(node).some((accepted) => samePlatform(accepted, normalizedEntry));
}

export interface IndexPlatformCheck {
  /**
   * `ok`: every candidate has a variant (or there are no candidates); `partial`: some; `mismatch`: none;
   * `unknown`: the index was too large to keep whole (index-platforms.ts) and some candidate is served by none of
   * the platforms kept, so nothing can be claimed about it.
   */
  readonly status: 'ok' | 'partial' | 'mismatch' | 'unknown';
  /** The platforms the image declares, attestation entries excluded, in index order, without duplicates. */
  readonly available: Platform[];
  /** Candidate platforms some entry serves. */
  readonly supported: Platform[];
  /** Candidate platforms no entry serves; empty when the index is `incomplete` (no kept entry proves that). */
  readonly unsupported: Platform[];
}

/** Matches an index's platforms against the platforms the pod can run on (the platform check). */
export function checkIndexPlatforms(input: {
  readonly index: IndexPlatforms;
  readonly candidates: readonly Platform[];
}): IndexPlatformCheck {
  const { index } = input;
  const declared = indexPlatformList(index);
  const available = distinctPlatforms(declared.filter((p) => !isAttestationPlatform(p)));
  const supported: Platform[] = [];
  const unserved: Platform[] = [];
  for (const candidate of distinctPlatforms(input.candidates)) {
    const served = index.unplatformed || declared.some((p) => platformAccepts(candidate, p));
    (served ? supported : unserved).push(candidate);
  }
  if (index.incomplete) {
    return { status: unserved.length === 0 ? 'ok' : 'unknown', available, supported, unsupported: [] };
  }
  const status = unserved.length === 0 ? 'ok' : supported.length === 0 ? 'mismatch' : 'partial';
  return { status, available, supported, unsupported: unserved };
}

/** Drops platforms equal to an earlier one after normalization (`linux/arm64` and `linux/arm64/v8` are one). */
export function distinctPlatforms(platforms: readonly Platform[]): Platform[] {
  const seen = new Set<string>();
  return platforms.filter((p) => {
    const key = formatPlatform(normalizePlatform(p));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
