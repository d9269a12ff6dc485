/** Shared setup of resolver tests against the real registry harness. */
import type { Test } from 'tap';
import type { RegistryCredential } from '../../src/credentials/credential.js';
import { parseImageReference, type ImageReference } from '../../src/image/reference.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import type { ClosableImageResolver, ResolveOptions } from '../../src/resolution/image-resolver.js';
import { createImageResolver } from '../../src/resolver/image-resolver.js';
import type { LookupFunction } from '../../src/registry/transport/ssrf-guard.js';
import type { RequestRate } from '../../src/registry/transport/token-bucket.js';
import type { RegistryHandle } from '../harness/registry/index.js';
import { testConfig } from './loopback.js';

export function ref(text: string): ImageReference {
  const parsed = parseImageReference(text);
  if (!parsed.ok) throw new Error(`bad reference in test: ${text}: ${parsed.reason}`);
  return parsed.reference;
}

export function credential(
  reg: RegistryHandle,
  user: 'alice' | 'bob',
  source = `secret team/${user}`,
): RegistryCredential {
  const password = reg.users[user];
  if (password === undefined) throw new Error(`harness has no user ${user}`);
  return { username: user, password, source };
}

export interface ResolverUnderTest {
  readonly resolver: ClosableImageResolver;
  readonly metrics: Metrics;
  resolve(
    image: string,
    credentials?: readonly RegistryCredential[],
    extra?: Partial<ResolveOptions>,
  ): ReturnType<ClosableImageResolver['resolve']>;
}

/** A resolver whose config lists the harness registry (loopback is blocked by default otherwise). */
export function resolverFor(
  t: Test,
  reg: Pick<RegistryHandle, 'mode' | 'caFile'> | { mode: 'plain' },
  options: {
    raw?: Record<string, unknown>;
    lookup?: LookupFunction;
    now?: () => number;
    hosts?: string[];
    requestRate?: RequestRate;
    resultCache?: boolean;
  } = {},
): ResolverUnderTest {
  const caFile = 'caFile' in reg ? reg.caFile : undefined;
  const config = testConfig({
    registries: (options.hosts ?? ['127.0.0.1:*']).map((host) => ({
      host,
      plainHttp: reg.mode === 'plain',
      ...(caFile !== undefined ? { caFile } : {}),
    })),
    network: { requestTimeout: '2s', budget: '5s' },
    ...options.raw,
  });
  const metrics = createMetrics({ processMetrics: false });
  const resolver = createImageResolver({
    config,
    metrics,
    ...(options.lookup ? { lookup: options.lookup } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.requestRate ? { requestRate: options.requestRate } : {}),
    ...(options.resultCache !== undefined ? { resultCache: options.resultCache } : {}),
  });
  t.teardown(() => resolver.close());
  return {
    resolver,
    metrics,
    resolve: (image, credentials = [], extra = {}) =>
      resolver.resolve({ reference: ref(image), credentials, signal: AbortSignal.timeout(5_000), ...extra }),
  };
}

/** The value of a counter for the given labels (0 when never incremented). */
export async function counterValue(metrics: Metrics, name: string, labels: Record<string, string>): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const match = values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value));
  return match?.value ?? 0;
}
