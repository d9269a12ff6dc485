/**
 * Composition of the review engine from the config and the environment: which adapters exist (registry client,
 * Kubernetes readers, node watcher) decides which checks run. Shared by `serve` and `check`, so both give the same
 * verdicts.
 */
import { readFile } from 'node:fs/promises';
import type { Config } from '../config/load-config.js';
import type { Keyring, KeyringEntry } from '../credentials/keyring.js';
import type { ClusterReader } from '../credentials/cluster-port.js';
import type { KubeAccess } from '../kube/kube-config.js';
import { kubeAccessMayExist, type LoadKubeAccessOptions } from '../kube/kube-presence.js';
import type { NamespaceWatcher } from '../kube/namespace-watcher.js';
import type { NodeWatcher, NodeWatcherLog } from '../kube/node-watcher.js';
import type { Metrics } from '../observability/metrics.js';
import { memoizedCandidatePlatforms } from '../platform/candidate-cache.js';
import type { NodeInfo } from '../platform/candidate-platforms.js';
import type { Platform } from '../platform/platform.js';
import type { LookupFunction } from '../resolver/image-resolver.js';
import type { PlatformPort, PullCredentialsPort } from '../review/ports.js';
import { createReviewer, type ReviewDeps, type Reviewer } from '../review/review-object.js';
import { runtimePort } from '../review/runtime-in-use.js';
import { crioEnforcesShortNamesByDefault } from '../platform/node-runtime.js';
import { PullguardError } from '../errors/pullguard-error.js';
import { loadRuntimeModel } from './load-runtime-model.js';
import { createNodePlanPort } from './node-plan-port.js';

export interface EngineOptions {
  readonly config: Config;
  readonly metrics?: Metrics;
  /** No network at all: only the checks that need no registry. */
  readonly offline?: boolean;
  /** More Docker config files to read credentials from, after `credentials.dockerConfig` (the CLI adds the user's). */
  readonly extraDockerConfigs?: readonly string[];
  /** A kubeconfig to read pull secrets, service accounts, namespaces and nodes through. */
  readonly kubeconfigPath?: string;
  /** Read Kubernetes at all (`check` reads it only with --kubeconfig); default: `credentials.kubernetes`. */
  readonly kubernetes?: 'auto' | boolean;
  /** Watch Nodes for the platform check (serve: yes; check: no, it uses --platform / config platforms). */
  readonly watchNodes?: boolean;
  /** Watch Namespaces for their `pullguard.io/mode` label (serve: yes; check: no, it reads the label when needed). */
  readonly watchNamespaces?: boolean;
  /** Nodes known without a watcher (`diagnose` reads the failing pods' nodes); a node watcher's list wins. */
  readonly nodes?: () => readonly NodeInfo[];
  /** Kubernetes access already loaded (`diagnose`, with its `--context`); otherwise loaded from the options. */
  readonly kubeAccess?: KubeAccess;
  /** Read namespaces' `pullguard.io/mode` label (default: yes); `diagnose` checks whatever the namespace's mode. */
  readonly namespaceModes?: boolean;
  /** Platforms to check against instead of nodes / `platforms:` (the CLI's `--platform`). */
  readonly platforms?: readonly Platform[];
  /** Environment values the adapters may use (KUBECONFIG, KUBERNETES_SERVICE_HOST). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly homeDir?: string;
  readonly log?: NodeWatcherLog;
  /**
   * The engine audits running workloads (`pullguard scan`, the audit in `serve`): no result cache, so every check
   * asks the registry afresh, and registry requests paced at `audit.requestsPerSecondPerRegistry` (the stricter of it
   * and `network.requestsPerSecondPerRegistry` applies).
   */
  readonly audit?: boolean;
  /** Name resolution for registry hosts (tests point names at loopback); the system resolver otherwise. */
  readonly lookup?: LookupFunction;
}

export interface Engine {
  readonly reviewer: Reviewer;
  /** Where Kubernetes data comes from (`in-cluster`, a kubeconfig path), or undefined when not read. */
  readonly kubeSource?: string;
  /** The reader of pull secrets and service accounts the reviews use (cached), when Kubernetes is read. */
  readonly clusterReader?: ClusterReader;
  /** The Kubernetes access the engine reads through, when it reads Kubernetes. */
  readonly kubeAccess?: KubeAccess;
  /** The nodes the platform check places pods on (the watcher's, else the static ones). */
  readonly nodes: () => readonly NodeInfo[];
  close(): Promise<void>;
}

export async function composeEngine(options: EngineOptions): Promise<Engine> {
  const { config } = options;
  if (options.offline)
    return { reviewer: createReviewer({ config }), nodes: () => options.nodes?.() ?? [], close: async () => {} };
  // The registry client (undici), the credentials and the resolver load only when registries will be read:
  // `check --offline` starts without them (docs/benchmarks.md, P9).
  const [{ buildPullCredentials }, { createImageResolver, rateOfPerSecond }] = await Promise.all([
    import('../credentials/pod-keychain.js'),
    import('../resolver/image-resolver.js'),
  ]);

  const runtime = await loadRuntimeModel(config.runtime);
  const staticKeyring = await loadStaticKeyring(
    config.credentials.dockerConfig ? [config.credentials.dockerConfig] : [],
    options.extraDockerConfigs ?? [],
  );
  // Loaded only when configured: without it the review does no provider work at all.
  const providerConfig = config.credentials.credentialProviderConfig;
  const providers = providerConfig
    ? await import('./load-credential-providers.js').then((m) => m.loadCredentialProviders(providerConfig))
    : undefined;
  const kubeOptions: LoadKubeAccessOptions = {
    mode: options.kubernetes ?? config.credentials.kubernetes,
    ...(options.kubeconfigPath ? { kubeconfigPath: options.kubeconfigPath } : {}),
    env: options.env ?? {},
    homeDir: options.homeDir ?? '/nonexistent',
  };
  const { kube, reader, nodeWatcher, namespaceWatcher, namespaceModeOf } =
    options.kubeAccess || kubeAccessMayExist(kubeOptions)
      ? await connectKubernetes(kubeOptions, config, options)
      : NO_KUBE;
  const resolver = createImageResolver({
    config,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.lookup ? { lookup: options.lookup } : {}),
    ...(options.audit
      ? { resultCache: false, requestRate: rateOfPerSecond(config.audit.requestsPerSecondPerRegistry) }
      : {}),
  });

  const pullCredentials: PullCredentialsPort = (request) =>
    buildPullCredentials({
      ...request,
      staticKeyring,
      ...(reader ? { reader } : {}),
      ...(providers?.readsServiceAccount ? { serviceAccountAnnotations: true } : {}),
    });
  const configured = options.platforms ?? config.platforms;
  const candidatesFor = memoizedCandidatePlatforms(configured);
  const noNodes: readonly NodeInfo[] = [];
  const knownNodes = (): readonly NodeInfo[] => nodeWatcher?.nodes() ?? options.nodes?.() ?? noNodes;
  const platforms: PlatformPort = (view) => {
    const nodes = knownNodes();
    if (nodes.length === 0 && configured.length === 0) return undefined;
    return candidatesFor(nodes, view);
  };
  const nodePlan = createNodePlanPort({
    config,
    runtime,
    unsetShortNameMode: () => (crioEnforcesShortNamesByDefault(knownNodes()) ? 'enforcing' : 'permissive'),
  });
  const deps: ReviewDeps = {
    config,
    resolver,
    pullCredentials,
    platforms,
    ...(providers ? { credentialProviders: providers.providersFor } : {}),
    nodePlan,
    runtime: runtimePort(config, knownNodes),
    ...(namespaceModeOf ? { namespaceMode: namespaceModeOf } : {}),
    ...(options.log ? { log: options.log } : {}),
  };
  return {
    reviewer: createReviewer(deps),
    ...(kube ? { kubeSource: kube.source, kubeAccess: kube } : {}),
    ...(reader ? { clusterReader: reader } : {}),
    nodes: knownNodes,
    close: async () => {
      await Promise.all([nodeWatcher?.stop(), namespaceWatcher?.stop()]);
      await resolver.close();
    },
  };
}

interface KubeAdapters {
  readonly kube: KubeAccess | undefined;
  readonly reader: ClusterReader | undefined;
  readonly nodeWatcher: NodeWatcher | undefined;
  readonly namespaceWatcher: NamespaceWatcher | undefined;
  readonly namespaceModeOf: ReviewDeps['namespaceMode'];
}

const NO_KUBE: KubeAdapters = {
  kube: undefined,
  reader: undefined,
  nodeWatcher: undefined,
  namespaceWatcher: undefined,
  namespaceModeOf: undefined,
};

/** Loads the Kubernetes adapter (and with it @kubernetes/client-node) only when the API will be used. */
async function connectKubernetes(
  kubeOptions: LoadKubeAccessOptions,
  config: Config,
  options: EngineOptions,
): Promise<KubeAdapters> {
  const [
    { loadKubeAccess },
    { createClusterReader },
    { namespaceModePort },
    { startNodeWatcher },
    { startNamespaceWatcher },
  ] = await Promise.all([
    import('../kube/kube-config.js'),
    import('../kube/cluster-reader.js'),
    import('../kube/namespace-mode.js'),
    import('../kube/node-watcher.js'),
    import('../kube/namespace-watcher.js'),
  ]);
  const kube = options.kubeAccess ?? loadKubeAccess(kubeOptions);
  if (!kube) return NO_KUBE;
  const reader = createClusterReader(kube, { requestTimeoutMs: config.network.requestTimeoutMs });
  const log = options.log ? { log: options.log } : {};
  const nodeWatcher = options.watchNodes ? startNodeWatcher({ kubeConfig: kube.kubeConfig, ...log }) : undefined;
  // The label known locally; the cached read stays the fallback (before the first list, a brand-new namespace).
  const namespaceWatcher = options.watchNamespaces
    ? startNamespaceWatcher({ kubeConfig: kube.kubeConfig, ...log })
    : undefined;
  const namespaceModeOf = options.namespaceModes === false ? undefined : namespaceModePort(reader, namespaceWatcher);
  return { kube, reader, nodeWatcher, namespaceWatcher, namespaceModeOf };
}

/**
 * The static Docker configs, merged in order; they play the node's keyring (source `docker config …`). The config's
 * file must exist; the user's own (`~/.docker/config.json`, for `check`) may be absent.
 */
async function loadStaticKeyring(required: readonly string[], optional: readonly string[]): Promise<Keyring> {
  const [{ dockerConfigEntriesOrThrow }, { createKeyring }] = await Promise.all([
    import('../credentials/docker-config.js'),
    import('../credentials/keyring.js'),
  ]);
  const entries: KeyringEntry[] = [];
  for (const path of [...required, ...optional]) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const isOptional = optional.includes(path);
      if (code === 'ENOENT' && isOptional) continue;
      const fix = isOptional
        ? 'make it readable or point DOCKER_CONFIG elsewhere'
        : 'check credentials.dockerConfig in the config file';
      throw new PullguardError(
        'PG_DOCKER_CONFIG_UNREADABLE',
        `cannot read Docker config ${path} (${code ?? 'error'}); ${fix}`,
        { cause: error },
      );
    }
    for (const entry of dockerConfigEntriesOrThrow(text, path))
      entries.push({ ...entry, source: `docker config ${path}` });
  }
  return createKeyring(entries);
}
