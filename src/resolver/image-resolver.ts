/**
 * The registry client's main API: resolve one image reference with the credentials the kubelet would send, into
 * exactly one Resolution (docs/design.md §1.3). Composition: SSRF guard → transport → authenticator → manifest check,
 * with tag suggestions on a missing tag and the result cache as a wrapper around it all.
 */
import type { Config, RegistryConfig } from '../config/load-config.js';
import { isDockerHub, registryApiHost } from '../image/reference.js';
import type { Metrics } from '../observability/metrics.js';
import { createAuthenticator, type AuthTarget } from '../registry/auth/authenticator.js';
import { combineAttempts } from '../resolution/combine-attempts.js';
import { createRegistryTransport } from '../registry/transport/http-transport.js';
import { createIndexCache } from '../registry/distribution/index-cache.js';
import { checkManifest, type ManifestCheckDeps } from '../registry/distribution/manifest-check.js';
import { RegistryError, resolutionOfError } from '../registry/transport/registry-error.js';
import { createRegistryLookup, listedHosts, registryOrigin } from '../config/registry-settings.js';
import { screenResolution } from '../registry/transport/registry-text.js';
import type { ClosableImageResolver, ResolveOptions } from '../resolution/image-resolver.js';
import type { Resolution } from '../resolution/resolution.js';
import { withResultCache } from './result-cache.js';
import { secretsInPlay } from '../registry/transport/secrets-in-play.js';
import { createSsrfGuard, type LookupFunction } from '../registry/transport/ssrf-guard.js';
import { createTagLister, type TagLister } from '../registry/distribution/tag-list.js';
import { suggestTags } from './tag-suggestions.js';
import type { RequestRate } from '../registry/transport/token-bucket.js';

export type { LookupFunction } from '../registry/transport/ssrf-guard.js';
export { rateOfPerSecond } from '../registry/transport/token-bucket.js';

const CREDENTIAL_INDEPENDENT: ReadonlySet<Resolution['outcome']> = new Set(['blocked', 'unreachable', 'timeout']);

export interface ImageResolverDeps {
  readonly config: Config;
  readonly metrics?: Metrics;
  readonly lookup?: LookupFunction;
  readonly now?: () => number;
  /**
   * Requests per second per registry host for this resolver (a scan's, an audit's); the stricter of it and
   * `network.requestsPerSecondPerRegistry` applies.
   */
  readonly requestRate?: RequestRate;
  /**
   * Keep results (docs/design.md §1.9); default true. The audit sets false: each of its cycles asks the registry
   * afresh (tokens, challenges and index bodies are still cached).
   */
  readonly resultCache?: boolean;
  /** Where unexpected (non-registry) errors are reported; a pino logger fits. */
  readonly log?: { warn(details: object, message: string): void };
}

/** The resolver the rest of pullguard uses: cached unless `resultCache` is false. */
export function createImageResolver(deps: ImageResolverDeps): ClosableImageResolver {
  const resolver = createUncachedResolver(deps);
  return deps.resultCache === false ? resolver : withResultCache(resolver, deps);
}

/** Resolution without the result cache (tokens, challenges and index bodies are still cached). */
function createUncachedResolver(deps: ImageResolverDeps): ClosableImageResolver {
  const { config } = deps;
  const now = deps.now ?? Date.now;
  const guard = createSsrfGuard({
    blockedCidrs: config.network.blockedCidrs,
    listedHosts: listedHosts(config),
    ...(deps.lookup ? { lookup: deps.lookup } : {}),
  });
  const transport = createRegistryTransport({
    config,
    guard,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.requestRate ? { requestRate: deps.requestRate } : {}),
  });
  const client: ManifestCheckDeps = {
    transport,
    auth: createAuthenticator({ transport }),
    indexes: createIndexCache(),
  };
  const tagLister = createTagLister(client, {
    ttlMs: config.cache.negativeTtlMs,
    timeoutMs: config.network.requestTimeoutMs,
  });
  const registryFor = createRegistryLookup(config);
  const endpointSettings = createEndpointSettings();

  const attempt = async (target: AuthTarget, options: ResolveOptions, started: number): Promise<Resolution> => {
    try {
      return await checkManifest(client, {
        target,
        tag: options.reference.tag ?? 'latest',
        ...(options.reference.digest !== undefined ? { digest: options.reference.digest } : {}),
        wantIndex: options.wantIndex ?? false,
        dockerHub: isDockerHub(options.reference),
      });
    } catch (error) {
      if (error instanceof RegistryError) return resolutionOfError(error, now() - started);
      // A bug, not a registry behaviour: report it as a protocol failure rather than crash the review, and tell
      // the admin (name and code only: a foreign message may quote a URL or a body).
      deps.log?.warn(
        {
          error: { name: (error as Error)?.name, code: (error as { code?: unknown })?.code },
          registry: options.reference.domain,
        },
        'unexpected error while resolving',
      );
      return { outcome: 'unreachable', cause: 'protocol', detail: 'internal error while resolving' };
    }
  };

  return {
    async resolve(options) {
      const started = now();
      const { reference } = options;
      const apiHost = registryApiHost(reference.domain);
      const registry = registryFor(reference.domain) ?? registryFor(apiHost) ?? endpointSettings(apiHost, options);
      // Whatever the registry says goes through the text gate, checked against everything sent to it.
      const secrets = secretsInPlay(options.credentials);
      const origin = registryOrigin(apiHost, registry);
      const screened = (resolution: Resolution) => screenResolution(resolution, secrets, new URL(origin).host);
      const base = { origin, registry, repositoryPath: reference.path, signal: options.signal, secrets };
      const attempts = options.credentials.length > 0 ? options.credentials : [undefined];
      const results: Resolution[] = [];
      const targets: AuthTarget[] = [];
      for (const credential of attempts) {
        const target: AuthTarget = { ...base, credential };
        const result = await attempt(target, options, started);
        if (result.outcome === 'found') return screened(result);
        results.push(result);
        targets.push(target);
        // Another credential cannot fix the network; don't spend the deadline finding that out again.
        if (options.signal.aborted || CREDENTIAL_INDEPENDENT.has(result.outcome)) break;
      }
      const combined = combineAttempts(results);
      if (combined.outcome !== 'not-found' || combined.missing !== 'tag') return screened(combined);
      return screened(
        await withSuggestions(
          tagLister,
          targets[results.indexOf(combined)] ?? targets[0],
          reference.tag ?? 'latest',
          combined,
        ),
      );
    },
    close: () => transport.close(),
  };
}

/**
 * The settings of a runtime endpoint the admin did not list under `registries:` (listed entries win: the admin
 * knows how pullguard reaches them). One object per distinct setting, so the transport keeps one connection pool for
 * it. Not `listed`: `network.blockedCidrs` still applies to mirrors.
 */
function createEndpointSettings(): (host: string, options: ResolveOptions) => RegistryConfig | undefined {
  const endpointRegistries = new Map<string, RegistryConfig>();
  return (host, options) => {
    const access = options.access;
    if (access === undefined) return undefined;
    const key = `${host}|${access.plainHttp}|${access.insecureSkipVerify}|${access.caFile ?? ''}`;
    let entry = endpointRegistries.get(key);
    if (entry === undefined) {
      if (endpointRegistries.size >= MAX_ENDPOINT_SETTINGS) endpointRegistries.clear();
      entry = Object.freeze({
        host,
        listed: false,
        nodeCredentials: false,
        plainHttp: access.plainHttp,
        insecureSkipVerify: access.insecureSkipVerify,
        ...(access.caFile !== undefined ? { caFile: access.caFile } : {}),
      });
      endpointRegistries.set(key, entry);
    }
    return entry;
  };
}

/** The runtime files name a bounded set of endpoints (src/node-pull/toml-input.ts caps them); this is a backstop. */
const MAX_ENDPOINT_SETTINGS = 1024;

async function withSuggestions(
  lister: TagLister,
  target: AuthTarget | undefined,
  tag: string,
  notFound: Resolution & { outcome: 'not-found' },
): Promise<Resolution> {
  if (target === undefined || target.signal.aborted) return notFound;
  const listing = await lister.list(target);
  if (listing === undefined) return notFound;
  if (listing.kind === 'repository-missing') return { ...notFound, missing: 'repository' };
  return { ...notFound, suggestions: suggestTags(tag, listing.tags) };
}
