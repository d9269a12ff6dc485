/**
 * The {@link Config} pullguard runs with, built from a config file that already passed the schema (load-config.ts
 * checks it), and {@link DEFAULT_CONFIG}, built from no file at all. Imports no schema code, so a run without a
 * config file does not load TypeBox (docs/benchmarks.md, P9).
 */
import { DEFAULT_POLICY, type Policy } from '../policy/finding-class.js';
import { parsePlatform, type Platform } from '../platform/platform.js';
import { parseDuration } from '../runtime/duration.js';
import type { ConfigFile } from './schema.js';
import { buildWorkloads, type WorkloadConfig } from './workload-config.js';

/**
 * Connections per registry when neither `registries[].concurrency` nor `network.concurrencyPerRegistry` says
 * otherwise. A GitOps sync asks about dozens of images nobody has seen at once: with 16 connections a 50-image burst
 * waits out four round trips in the queue, with 64 it is one (P7 in docs/design.md §7.1; docs/benchmarks.md, P7).
 */
const DEFAULT_CONCURRENCY_PER_REGISTRY = 64;

export interface RegistryConfig {
  readonly host: string;
  /**
   * Listed by the admin under `registries:` (true), or one of the built-in node-credential entries (false). Only
   * listed hosts are exempt from `network.blockedCidrs`: a built-in suffix glob must never let a name under it that
   * resolves to a blocked address through.
   */
  readonly listed: boolean;
  readonly nodeCredentials: boolean;
  readonly caFile?: string;
  readonly plainHttp: boolean;
  readonly insecureSkipVerify: boolean;
  readonly concurrency?: number;
}

/**
 * `runtime:`: which container runtime the nodes run and where the admin mounted its pull configuration (the same
 * files as the nodes'). Absent: pullguard asks each image's registry directly, as containerd does without mirrors.
 */
export type RuntimeConfig =
  | { readonly kind: 'containerd'; readonly hostsDir?: string }
  | { readonly kind: 'crio'; readonly registriesConf?: string; readonly registriesConfDir?: string };

export interface Config {
  readonly mode: 'enforce' | 'warn';
  readonly policy: Policy;
  /** User entries first (first match wins), then the built-in node-credential registries. */
  readonly registries: readonly RegistryConfig[];
  readonly credentials: {
    readonly dockerConfig?: string;
    readonly kubernetes: 'auto' | boolean;
    /** The kubelet's CredentialProviderConfig file (`--image-credential-provider-config`), as is. */
    readonly credentialProviderConfig?: string;
  };
  readonly runtime?: RuntimeConfig;
  readonly exemptImages: readonly string[];
  readonly platforms: readonly Platform[];
  readonly cache: { readonly ttlMs: number; readonly negativeTtlMs: number; readonly maxEntries: number };
  readonly network: {
    readonly requestTimeoutMs: number;
    readonly budgetMs: number;
    readonly concurrencyPerRegistry: number;
    /** Requests per second to one registry host, with a burst of one second's worth; absent: unlimited. */
    readonly requestsPerSecondPerRegistry?: number;
    readonly blockedCidrs: readonly string[];
  };
  readonly tls: { readonly certFile: string; readonly keyFile: string };
  readonly listen: { readonly host: string; readonly port: number; readonly healthPort: number };
  /**
   * `reviews`: which reviews get their `review` line at `info` (docs/design.md §5.4): `findings` (those with a
   * finding, failed open or malformed; the rest at `debug`) or `all`.
   */
  readonly logging: { readonly reviews: 'findings' | 'all' };
  /** Kinds beyond the built-in table (`workloads:`), in file order. */
  readonly workloads: readonly WorkloadConfig[];
  /** The continuous audit of running workloads in `serve`, and the pace of `scan` (docs/audit.md). */
  readonly audit: AuditConfig;
}

export interface AuditConfig {
  /** `serve` audits the cluster (one replica at a time, through the Lease). */
  readonly enabled: boolean;
  /** Each distinct (image, credentials) is checked once per interval, the checks spread over it. */
  readonly intervalMs: number;
  /** The audit's and `scan`'s own pace per registry host; `network.requestsPerSecondPerRegistry` still caps it. */
  readonly requestsPerSecondPerRegistry: number;
  /** Checks in flight at once. */
  readonly concurrency: number;
  readonly leaseName: string;
  /** Absent: the pod's own namespace (`POD_NAMESPACE`, else the service account's; outside a cluster, the context's). */
  readonly leaseNamespace?: string;
}

/** Registries whose pulls use credentials only nodes have (cloud credential providers). docs/design.md §3.1. */
export const NODE_CREDENTIAL_REGISTRIES = [
  '*.dkr.ecr.*.amazonaws.com',
  'gcr.io',
  '*.gcr.io',
  '*-docker.pkg.dev',
  '*.azurecr.io',
] as const;

/**
 * IANA special-purpose ranges that are never a registry (RFC 6890 and the IANA IPv4/IPv6 special-purpose address
 * registries), plus the cloud metadata addresses outside them. IPv6 forms that embed an IPv4 address (mapped,
 * compatible, NAT64, 6to4, Teredo) are checked on the embedded address too: see src/registry/transport/embedded-ipv4.ts.
 */
export const DEFAULT_BLOCKED_CIDRS = [
  '0.0.0.0/8', // "this network": connecting to 0.0.0.0 reaches the local host
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local, with the AWS/GCP/Azure/OCI metadata address 169.254.169.254
  '100.100.100.200/32', // Alibaba Cloud metadata
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved
  '255.255.255.255/32', // limited broadcast (inside 240.0.0.0/4; named for readers)
  '::/128', // unspecified: connecting to :: reaches the local host
  '::1/128', // loopback
  'fe80::/10', // link-local
  'fd00:ec2::254/128', // AWS metadata over IPv6
  'ff00::/8', // multicast
] as const;

/** `file` must have passed the schema and configProblems (load-config.ts `buildConfig`). */
export function configFromFile(file: ConfigFile): Config {
  const duration = (value: string | undefined, fallback: number): number =>
    value === undefined ? fallback : (parseDuration(value) ?? fallback);
  const blockedCidrs = file.network?.blockedCidrs ?? [...DEFAULT_BLOCKED_CIDRS];
  const platforms = (file.platforms ?? []).map(parsePlatform).filter((p): p is Platform => p !== undefined);
  const ttlMs = duration(file.cache?.ttl, 300_000);
  const negativeTtlMs = duration(file.cache?.negativeTtl, 30_000);
  const requestTimeoutMs = duration(file.network?.requestTimeout, 3_000);
  const budgetMs = duration(file.network?.budget, 8_000);

  const userRegistries: RegistryConfig[] = (file.registries ?? []).map((r) => ({
    host: r.host,
    listed: true,
    nodeCredentials: r.nodeCredentials ?? false,
    plainHttp: r.plainHttp ?? false,
    insecureSkipVerify: r.insecureSkipVerify ?? false,
    ...(r.caFile !== undefined ? { caFile: r.caFile } : {}),
    ...(r.concurrency !== undefined ? { concurrency: r.concurrency } : {}),
  }));
  const builtIn: RegistryConfig[] = NODE_CREDENTIAL_REGISTRIES.map((host) => ({
    host,
    listed: false,
    nodeCredentials: true,
    plainHttp: false,
    insecureSkipVerify: false,
  }));
  const config: Config = {
    mode: file.mode ?? 'enforce',
    policy: { ...DEFAULT_POLICY, ...(file.policy as Partial<Policy> | undefined) },
    registries: [...userRegistries, ...builtIn],
    credentials: {
      ...(file.credentials?.dockerConfig !== undefined ? { dockerConfig: file.credentials.dockerConfig } : {}),
      kubernetes: file.credentials?.kubernetes ?? 'auto',
      ...(file.credentials?.credentialProviderConfig !== undefined
        ? { credentialProviderConfig: file.credentials.credentialProviderConfig }
        : {}),
    },
    ...runtimeConfig(file.runtime),
    exemptImages: file.exempt?.images ?? [],
    platforms,
    cache: { ttlMs, negativeTtlMs, maxEntries: file.cache?.maxEntries ?? 50_000 },
    network: {
      requestTimeoutMs,
      budgetMs,
      concurrencyPerRegistry: file.network?.concurrencyPerRegistry ?? DEFAULT_CONCURRENCY_PER_REGISTRY,
      ...(file.network?.requestsPerSecondPerRegistry !== undefined
        ? { requestsPerSecondPerRegistry: file.network.requestsPerSecondPerRegistry }
        : {}),
      blockedCidrs,
    },
    tls: { certFile: file.tls?.certFile ?? 'certs/tls.crt', keyFile: file.tls?.keyFile ?? 'certs/tls.key' },
    listen: {
      host: file.listen?.host ?? '0.0.0.0',
      port: file.listen?.port ?? 8443,
      healthPort: file.listen?.healthPort ?? 8080,
    },
    logging: { reviews: file.logging?.reviews ?? 'findings' },
    workloads: buildWorkloads(file.workloads),
    audit: {
      enabled: file.audit?.enabled ?? true,
      intervalMs: duration(file.audit?.interval, 600_000),
      requestsPerSecondPerRegistry: file.audit?.requestsPerSecondPerRegistry ?? 5,
      concurrency: file.audit?.concurrency ?? 4,
      leaseName: file.audit?.leaseName ?? 'pullguard-audit',
      ...(file.audit?.leaseNamespace !== undefined ? { leaseNamespace: file.audit.leaseNamespace } : {}),
    },
  };
  return deepFreeze(config);
}

function runtimeConfig(runtime: ConfigFile['runtime']): { runtime?: RuntimeConfig } {
  if (runtime === undefined) return {};
  if ('containerd' in runtime) return { runtime: { kind: 'containerd', ...runtime.containerd } };
  return { runtime: { kind: 'crio', ...runtime.crio } };
}

/** Every default: what an empty config file gives (load-config.test.ts checks that they agree). */
export const DEFAULT_CONFIG: Config = configFromFile({});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
