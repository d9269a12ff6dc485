/**
 * Whether Kubernetes API access could exist, decided from files and environment only: loading
 * @kubernetes/client-node costs ~80 MB of RSS, so pullguard loads it only when it will be used.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface LoadKubeAccessOptions {
  readonly mode: 'auto' | boolean;
  /** An explicit kubeconfig (flag); wins over everything else and must exist. */
  readonly kubeconfigPath?: string;
  /** A kubeconfig context to use instead of its current one (kubectl's `--context`); never the in-cluster config. */
  readonly context?: string;
  /** Reads KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT and KUBECONFIG. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  /** Where the service-account token, CA and namespace are mounted (tests point it elsewhere). */
  readonly serviceAccountDir?: string;
}

/** True when `loadKubeAccess` could return access (or must fail loudly): mode true, a flag or context, in-cluster, or a file. */
export function kubeAccessMayExist(options: LoadKubeAccessOptions): boolean {
  if (options.mode === false) return false;
  if (options.mode === true || options.kubeconfigPath !== undefined || options.context !== undefined) return true;
  if (options.env['KUBERNETES_SERVICE_HOST']) return true;
  return kubeconfigCandidates(options).some((candidate) => existsSync(candidate));
}

/** KUBECONFIG's files, then `~/.kube/config`, in the order kubectl reads them. */
export function kubeconfigCandidates(options: LoadKubeAccessOptions): string[] {
  const fromEnv = (options.env['KUBECONFIG'] ?? '').split(path.delimiter).filter((p) => p !== '');
  return [...fromEnv, path.join(options.homeDir, '.kube', 'config')];
}
