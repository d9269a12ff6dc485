/**
 * Composition of the review engine from the config and the environment: which adapters exist (registry client,
 * Kubernetes readers, node watcher) decides which checks run. Shared by `serve` and `check`, so both give the same
 * verdicts.
 */
import type { Config } from '../config/load-config.js';
import type { Metrics } from '../observability/metrics.js';
import type { Platform } from '../platform/platform.js';
import { createReviewer, type ReviewDeps, type Reviewer } from '../review/review-object.js';

export interface EngineOptions {
  readonly config: Config;
  readonly metrics?: Metrics;
  /** No network at all: only the checks that need no registry. */
  readonly offline?: boolean;
  /** More Docker config files to read credentials from, after `credentials.dockerConfig` (the CLI adds the user's). */
  readonly extraDockerConfigs?: readonly string[];
  /** A kubeconfig to read pull secrets, service accounts, namespaces and nodes through. */
  readonly kubeconfigPath?: string;
  /** Platforms to check against instead of nodes / `platforms:` (the CLI's `--platform`). */
  readonly platforms?: readonly Platform[];
  /** Environment values the adapters may use (KUBECONFIG, KUBERNETES_SERVICE_HOST, HOME). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface Engine {
  readonly reviewer: Reviewer;
  close(): Promise<void>;
}

export async function composeEngine(options: EngineOptions): Promise<Engine> {
  const deps: ReviewDeps = { config: options.config };
  return { reviewer: createReviewer(deps), close: async () => {} };
}
