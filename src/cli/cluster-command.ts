/**
 * What `diagnose` and `scan` both do first: read pullguard's config (`--config`, else `PULLGUARD_CONFIG`, else the
 * defaults) and reach the cluster as kubectl would (`--kubeconfig`, `--context`, `KUBECONFIG`, in-cluster), or stop
 * with one line that says how to point them at one.
 */
import { resolve } from 'node:path';
import type { Config } from '../config/load-config.js';
import type { KubectlFlags } from '../diagnose/kubectl-flags.js';
import { PullguardError } from '../errors/pullguard-error.js';
import type { KubeAccess } from '../kube/kube-config.js';
import { loadConfigFile } from './load-config-file.js';

export interface ClusterCommandIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly cwd: string;
}

export function commandConfig(flags: KubectlFlags, io: ClusterCommandIo): Promise<Config> {
  const configPath = flags.configPath ?? io.env['PULLGUARD_CONFIG'];
  return loadConfigFile(configPath === undefined ? undefined : resolve(io.cwd, configPath));
}

/** The cluster to read; loads the Kubernetes client only now. */
export async function clusterAccess(flags: KubectlFlags, io: ClusterCommandIo): Promise<KubeAccess> {
  const { loadKubeAccess } = await import('../kube/kube-config.js');
  const kube = loadKubeAccess({
    mode: 'auto',
    ...(flags.kubeconfigPath ? { kubeconfigPath: resolve(io.cwd, flags.kubeconfigPath) } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    env: io.env,
    homeDir: io.homeDir,
  });
  if (kube === undefined)
    throw new PullguardError(
      'PG_KUBE_CONFIG_MISSING',
      `no cluster to read: no kubeconfig at ${io.env['KUBECONFIG'] ? 'any file of KUBECONFIG or ' : ''}~/.kube/config and not running in a pod; give --kubeconfig FILE or set KUBECONFIG`,
    );
  return kube;
}
