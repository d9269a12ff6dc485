/**
 * What the node would try for one image, in order, given the runtime model: every endpoint with the reference it
 * would ask there, its role and TLS settings, and whether it is used for this reference (and why not). Mirrors
 * come first and the upstream last, as both runtimes do: containerd's hosts.toml
 * (https://github.com/containerd/containerd/blob/main/docs/hosts.md) and CRI-O's registries.conf
 * (https://github.com/containers/image/blob/main/docs/containers-registries.conf.5.md).
 */
import { canonicalReference, type ImageReference, parseImageReference } from '../image/reference.js';
import { type ContainerdModel, containerdHostsFor, isLocalhost } from './containerd-hosts.js';
import { type CrioModel, type CrioRegistry, findRegistry, matchLength, type ShortNameMode } from './crio-registries.js';

export type RuntimeModel = ContainerdModel | CrioModel;

export interface PlanEndpoint {
  /** host[:port] contacted. */
  readonly host: string;
  /** The reference as asked on that host (after a CRI-O `location` rewrite). */
  readonly reference: string;
  readonly role: 'mirror' | 'upstream';
  /** false for containerd's skip_verify and CRI-O's insecure. */
  readonly tlsVerify: boolean;
  /** containerd only: the API path (`/v2` unless override_path) and the scheme. */
  readonly path?: string;
  readonly scheme?: string;
  readonly ca: readonly string[];
  /** A host only the node itself reaches (localhost, loopback): the webhook cannot verify it from where it runs. */
  readonly nodeLocal: boolean;
  /** Whether the runtime asks this endpoint for this reference; when not, `skipped` says why. */
  readonly used: boolean;
  readonly skipped?: string;
}

export type PullPlan =
  | {
      readonly kind: 'endpoints';
      readonly reference: string;
      /** The alias that turned a short name into `reference`, when one did. */
      readonly alias?: string;
      readonly endpoints: readonly PlanEndpoint[];
    }
  | { readonly kind: 'blocked'; readonly reference: string; readonly prefix: string; readonly file: string }
  /** CRI-O enforcing, several search registries, no alias: the runtime refuses to choose. */
  | { readonly kind: 'ambiguous'; readonly name: string; readonly candidates: readonly string[] }
  /** A short name the runtime tries on each search registry in turn (CRI-O permissive or disabled). */
  | { readonly kind: 'search'; readonly name: string; readonly plans: readonly PullPlan[] }
  | { readonly kind: 'no-search-registries'; readonly name: string }
  | { readonly kind: 'invalid'; readonly reason: string };

export interface PlanOptions {
  /**
   * CRI-O's short-name mode when registries.conf sets none: `permissive` (containers-registries.conf(5)'s default),
   * or `enforcing` when the nodes run CRI-O 1.34 or later, which enforces short names by default.
   */
  readonly unsetShortNameMode?: ShortNameMode;
}

/** The plans in which the runtime refuses the image before asking any registry. */
export type Refusal = Extract<PullPlan, { kind: 'blocked' | 'ambiguous' | 'no-search-registries' }>;

/** The image as written in the pod spec: a short name is one whose registry host was not written. */
export function pullPlan(model: RuntimeModel, image: string, options: PlanOptions = {}): PullPlan {
  const parsed = parseImageReference(image);
  if (!parsed.ok) return { kind: 'invalid', reason: parsed.reason };
  const reference = parsed.reference;
  if (model.runtime === 'containerd') return containerdPlan(model, reference);
  if (!isShortName(image, reference)) return crioPlan(model, reference);
  return shortNamePlan(model, image, model.shortNameMode ?? options.unsetShortNameMode ?? 'permissive');
}

function isShortName(image: string, reference: ImageReference): boolean {
  return reference.domain === 'docker.io' && !image.startsWith('docker.io/') && !image.startsWith('index.docker.io/');
}

function containerdPlan(model: ContainerdModel, reference: ImageReference): PullPlan {
  const canonical = canonicalReference(reference);
  // A tag is resolved to a digest first (capability "resolve"); a digest is fetched directly ("pull").
  const needed = reference.digest === undefined ? 'resolve' : 'pull';
  const endpoints = containerdHostsFor(model, reference.domain).hosts.map((host): PlanEndpoint => {
    const used = host.capabilities.includes(needed);
    return {
      host: host.host,
      nodeLocal: isLocalhost(host.host),
      reference: canonical,
      role: host.role,
      tlsVerify: !host.skipVerify,
      path: host.path,
      scheme: host.scheme,
      ca: host.ca,
      used,
      ...(used ? {} : { skipped: `lacks the "${needed}" capability` }),
    };
  });
  return { kind: 'endpoints', reference: canonical, endpoints };
}

function crioPlan(model: CrioModel, reference: ImageReference, alias?: string): PullPlan {
  const canonical = canonicalReference(reference);
  const registry = findRegistry(model, canonical);
  const withAlias = alias === undefined ? {} : { alias };
  if (registry === undefined) {
    const upstream = endpoint(canonical, 'upstream', false, true);
    return { kind: 'endpoints', reference: canonical, ...withAlias, endpoints: [upstream] };
  }
  if (registry.blocked) return { kind: 'blocked', reference: canonical, prefix: registry.prefix, file: registry.file };
  const digested = reference.digest !== undefined;
  const mirrors = registry.mirrors.map((mirror) => {
    const skipped = mirrorSkipped(registry, mirror.pullFromMirror, digested);
    const rewritten = rewrite(canonical, registry.prefix, mirror.location);
    return endpoint(rewritten, 'mirror', mirror.insecure, skipped === undefined, skipped);
  });
  const upstream = endpoint(
    rewrite(canonical, registry.prefix, registry.location),
    'upstream',
    registry.insecure,
    true,
  );
  return { kind: 'endpoints', reference: canonical, ...withAlias, endpoints: [...mirrors, upstream] };
}

function mirrorSkipped(registry: CrioRegistry, pull: string, digested: boolean): string | undefined {
  if (registry.mirrorByDigestOnly && !digested) return 'mirror-by-digest-only: mirrors serve digests only';
  if (pull === 'digest-only' && !digested) return 'pull-from-mirror = "digest-only": not used for a tag';
  if (pull === 'tag-only' && digested) return 'pull-from-mirror = "tag-only": not used for a digest';
  return undefined;
}

/** rewriteReference: the location replaces the matched prefix; an empty location (wildcard) keeps the name. */
function rewrite(reference: string, prefix: string, location: string): string {
  if (location === '') return reference;
  return location + reference.slice(matchLength(reference, prefix));
}

function endpoint(
  reference: string,
  role: PlanEndpoint['role'],
  insecure: boolean,
  used: boolean,
  skipped?: string,
): PlanEndpoint {
  const host = reference.slice(0, reference.indexOf('/'));
  return {
    host,
    nodeLocal: isLocalhost(host),
    reference,
    role,
    tlsVerify: !insecure,
    ca: [],
    used,
    ...(skipped === undefined ? {} : { skipped }),
  };
}

/** The name part of a short name (tag and digest stripped, as alias lookup does) and what was stripped. */
function splitShortName(image: string): [name: string, suffix: string] {
  const at = image.indexOf('@');
  const beforeDigest = at === -1 ? image : image.slice(0, at);
  const colon = beforeDigest.lastIndexOf(':');
  const end = colon > beforeDigest.lastIndexOf('/') ? colon : at === -1 ? image.length : at;
  return [image.slice(0, end), image.slice(end)];
}

function shortNamePlan(model: CrioModel, image: string, mode: ShortNameMode): PullPlan {
  const [name, suffix] = splitShortName(image);
  const aliased = model.aliases.get(name);
  if (aliased !== undefined) {
    const resolved = parseImageReference(aliased + suffix);
    if (!resolved.ok) return { kind: 'invalid', reason: `alias "${name}" = "${aliased}": ${resolved.reason}` };
    return crioPlan(model, resolved.reference, aliased);
  }
  const search = model.searchRegistries;
  if (search.length === 0) return { kind: 'no-search-registries', name };
  const qualified = search.map((registry) => parseImageReference(`${registry}/${name}${suffix}`));
  const candidates = qualified.flatMap((q) => (q.ok ? [q.reference] : []));
  if (mode === 'enforcing' && search.length > 1) {
    return { kind: 'ambiguous', name, candidates: candidates.map((c) => canonicalReference(c)) };
  }
  const plans = candidates.map((c) => crioPlan(model, c));
  return plans.length === 1 && search.length === 1 ? (plans[0] as PullPlan) : { kind: 'search', name, plans };
}
