/**
 * Turns a registry {@link Resolution} into the finding a developer reads: the cause in plain words and the concrete
 * fix (docs/design.md §2.2). Pure; every outcome keeps its own wording, so "missing" never reads like "private".
 */
import { formatDuration } from '../runtime/duration.js';
import type { RateLimited, Resolution, Unauthorized, Unreachable } from '../resolution/resolution.js';
import type { ImageUse } from '../workload/image-use.js';
import type { ProviderEffect } from './provider-effect.js';
import type { Finding } from './finding.js';
import { providerFinding } from './provider-findings.js';
import type { RuntimeFailure } from './runtime-words.js';

export interface RegistryFindingContext {
  readonly use: ImageUse;
  /** Canonical reference, e.g. docker.io/library/nginx:1.29. */
  readonly canonical: string;
  /** Registry domain as in the reference (`docker.io`, `localhost:5000`). */
  readonly domain: string;
  /** Repository path, e.g. `library/nginx`. */
  readonly repositoryPath: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly namespace: string;
  /**
   * Where pull secrets are listed for this object: `spec.template.spec`, `spec` (an Argo Workflow) …; undefined when
   * the object has none (a Tekton Task: whatever runs it lists them).
   */
  readonly podSpecPath: string | undefined;
  readonly serviceAccountName: string;
  /** True when at least one credential (pod secret or static docker config) matched this image. */
  readonly hadCredentials: boolean;
  /** The registry is listed with `nodeCredentials: true`. */
  readonly nodeCredentials: boolean;
  /** What the kubelet's credential providers do for this image and pod (absent: none configured or matching). */
  readonly provider?: ProviderEffect;
}

/** The finding for a resolution, or undefined when the image resolves. */
export function registryFinding(resolution: Resolution, ctx: RegistryFindingContext): Finding | undefined {
  const base = { use: ctx.use, canonical: ctx.canonical, outcome: resolution.outcome } as const;
  switch (resolution.outcome) {
    case 'found':
      return undefined;
    case 'invalid':
      return {
        ...base,
        class: 'invalidReference',
        cause: `invalid image reference: ${resolution.reason}.`,
        short: `invalid image reference: ${resolution.reason}`,
      };
    case 'not-found': {
      const suggestions = resolution.suggestions ?? [];
      const text = notFoundText(resolution.missing, suggestions, ctx);
      const listed = text.cause.includes('Closest tags:') ? { suggestions: [...suggestions] } : {};
      return { ...base, class: 'notFound', ...text, ...listed };
    }
    case 'unauthorized': {
      // A provider's credentials are tried besides the pod's: it decides, whatever pod secrets matched.
      const fromProvider = providerFinding(ctx.provider, ctx);
      if (fromProvider) return { ...base, ...fromProvider };
      if (!ctx.hadCredentials && ctx.nodeCredentials) {
        return {
          ...base,
          class: 'nodeCredentials',
          cause: `${ctx.domain} needs node credentials (a cloud credential provider) that pullguard cannot see; not verified.`,
          short: `cannot verify ${ctx.canonical}: ${ctx.domain} uses node credentials; admitted unverified`,
        };
      }
      return { ...base, class: 'unauthorized', ...unauthorizedText(resolution, ctx) };
    }
    case 'rate-limited': {
      const remaining = rateLimitText(resolution);
      return {
        ...base,
        class: 'rateLimited',
        cause: `${ctx.domain} rate-limited the check (HTTP 429${remaining}); the image could not be verified.`,
        short: `cannot verify ${ctx.canonical} (registry rate limit${remaining}); admitted anyway`,
      };
    }
    case 'unreachable': {
      const runtimeFailure = unreachableFailure(resolution);
      return {
        ...base,
        class: 'unreachable',
        cause: `cannot reach ${ctx.domain} to verify the image (${resolution.detail}).`,
        fix: 'Check that the registry host is right and reachable from the cluster.',
        short: `cannot verify ${ctx.canonical} (registry unreachable: ${resolution.detail}); admitted anyway`,
        ...(runtimeFailure ? { runtimeFailure } : {}),
      };
    }
    case 'timeout':
      return {
        ...base,
        class: 'timeout',
        runtimeFailure: { kind: 'ioTimeout' },
        cause: `${ctx.domain} did not answer within ${formatDuration(resolution.afterMs)}; the image could not be verified.`,
        short: `cannot verify ${ctx.canonical} (registry timeout after ${formatDuration(resolution.afterMs)}); admitted anyway`,
      };
    case 'blocked':
      return {
        ...base,
        class: 'unreachable',
        // "blocked" rather than "in the list": 0.0.0.0, :: and IPv6 forms embedding a blocked IPv4 address are too.
        cause: `pullguard does not contact ${resolution.host}: it resolves to ${resolution.address ? `${resolution.address}, ` : ''}a blocked address (network.blockedCidrs).`,
        fix: `Fix: if ${resolution.host} is a legitimate registry, list it under registries: in the pullguard config.`,
        short: `cannot verify ${ctx.canonical}: ${resolution.host} resolves to a blocked address; admitted anyway`,
      };
  }
}

/** Node.js's TLS error codes for a chain no trusted CA signed: Go's `x509: certificate signed by unknown authority`. */
const UNKNOWN_AUTHORITY = ['SELF_SIGNED', 'UNABLE_TO_VERIFY', 'UNABLE_TO_GET_ISSUER'];

/** The node's words for the network causes it reports the same way; other causes get none. */
function unreachableFailure(resolution: Unreachable): RuntimeFailure | undefined {
  switch (resolution.cause) {
    case 'dns':
      return { kind: 'dnsFailure' };
    case 'refused':
      return { kind: 'connectionRefused' };
    case 'tls':
      return UNKNOWN_AUTHORITY.some((code) => resolution.detail.includes(code))
        ? { kind: 'unknownAuthority' }
        : undefined;
    default:
      return undefined;
  }
}

function notFoundText(missing: string, suggestions: readonly string[], ctx: RegistryFindingContext) {
  const repo = `${ctx.domain}/${ctx.repositoryPath}`;
  if (missing === 'repository') {
    return {
      cause: `repository ${repo} does not exist.`,
      fix: 'Fix: check the image name (a missing library/ or user prefix, a typo, or the wrong registry).',
      short: `repository ${repo} does not exist`,
    };
  }
  if (missing === 'digest' || (ctx.digest && !ctx.tag)) {
    return {
      cause: `digest ${ctx.digest ?? ''} does not exist in ${repo}.`,
      fix: 'Fix: use the digest of a pushed image (skopeo inspect or crane digest shows it).',
      short: `digest ${shortDigest(ctx.digest)} not found in ${repo}`,
    };
  }
  const tag = ctx.tag ?? 'latest';
  const closest = suggestions.length > 0 ? ` Closest tags: ${suggestions.join(', ')}.` : '';
  const example = suggestions[0] ? `, e.g. ${ctx.use.image.replace(/:[^:/@]*(@.*)?$/, '')}:${suggestions[0]}` : '';
  return {
    cause: `tag "${tag}" does not exist in ${repo}.${closest}`,
    fix: `Fix: use an existing tag${example}, or push the tag.`,
    short: `tag "${tag}" not found in ${repo}${suggestions.length ? `; closest: ${suggestions.slice(0, 3).join(', ')}` : ''}`,
  };
}

function unauthorizedText(resolution: Unauthorized, ctx: RegistryFindingContext) {
  const source = resolution.credentialSource ?? 'the matching pull secret';
  const createSecret = `kubectl create secret docker-registry regcred --docker-server=${ctx.domain} --docker-username=<user> --docker-password=<password> -n ${ctx.namespace}`;
  const listIt =
    ctx.podSpecPath === undefined
      ? 'then list it in the imagePullSecrets of what runs this object (e.g. a TaskRun or PipelineRun podTemplate) or on its service account'
      : `then list it under ${ctx.podSpecPath}.imagePullSecrets or on service account "${ctx.serviceAccountName}"`;
  const alsoRefused = otherSourcesText(resolution);
  switch (resolution.reason) {
    case 'credentials-rejected':
      return {
        cause: `${ctx.domain} rejected the credentials from ${source} (wrong username, password or token).${alsoRefused}`,
        fix: `Fix: update ${source} with valid credentials for ${ctx.domain}.`,
        short: `${ctx.domain} rejected the credentials from ${source}`,
      };
    case 'no-access':
      return {
        cause: `${ctx.domain} refused access to ${ctx.repositoryPath} with the credentials from ${source}: the repository is private to other accounts, or does not exist.${alsoRefused}`,
        fix: 'Fix: check the image name, or grant that account pull access.',
        short: `${ctx.domain} refused ${ctx.repositoryPath} to ${source}: private or missing`,
      };
    case 'anonymous-refused':
      if (resolution.ambiguousMissing) {
        return {
          cause: `${ctx.domain} refuses anonymous access to ${ctx.repositoryPath}: the repository does not exist, or it is private (Docker Hub does not say which).`,
          fix: `Fix: check the image name, or if it is private: ${createSecret}, ${listIt}.`,
          short: `${ctx.canonical} is missing or private (no pull secret matches ${ctx.domain})`,
        };
      }
      return {
        cause: `${ctx.domain} requires authentication and no imagePullSecret of this pod has credentials for it.`,
        fix: `Fix: ${createSecret}, ${listIt}.`,
        short: `${ctx.domain} requires authentication; no pull secret of this pod matches it`,
      };
  }
}

/** Most refused credential sources named besides the first; the rest are counted. */
export const MAX_NAMED_SOURCES = 5;

/**
 * ` It also refused secret shop/b, docker config.`: the other credentials the kubelet would try for this image, all
 * refused too (sources name secrets, never their contents), so fixing one of them is what makes the pull work.
 */
function otherSourcesText(resolution: Unauthorized): string {
  const others = (resolution.credentialSources ?? []).filter((source) => source !== resolution.credentialSource);
  if (others.length === 0) return '';
  const more = others.length - MAX_NAMED_SOURCES;
  return ` It also refused ${others.slice(0, MAX_NAMED_SOURCES).join(', ')}${more > 0 ? ` and ${more} more` : ''}.`;
}

/** `, RateLimit-Remaining 0 per 6h, retry after 60s`: numbers only, the registry's header text never appears. */
function rateLimitText(resolution: RateLimited): string {
  const parts: string[] = [];
  if (resolution.remaining !== undefined) {
    const window = resolution.windowSeconds !== undefined ? ` per ${seconds(resolution.windowSeconds)}` : '';
    parts.push(`RateLimit-Remaining ${resolution.remaining}${window}`);
  }
  if (resolution.retryAfterSeconds !== undefined) parts.push(`retry after ${seconds(resolution.retryAfterSeconds)}`);
  return parts.map((part) => `, ${part}`).join('');
}

/** `45s`, `10m`, `6h`, `1h30m`. */
function seconds(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const text = `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
  return text || '0s';
}

function shortDigest(digest: string | undefined): string {
  return digest ? `${digest.slice(0, 19)}…` : '';
}
