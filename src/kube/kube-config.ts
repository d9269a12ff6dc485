/**
 * Finds the Kubernetes API credentials pullguard runs with: in-cluster service account, or a kubeconfig file.
 * `credentials.kubernetes` (docs/design.md §3.1): `auto` uses a config when one is found, `true` requires one, `false`
 * never touches the API. Environment values come in as parameters; only src/main.ts reads `process.env`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import path from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { PullguardError } from '../errors/pullguard-error.js';
import { kubeconfigCandidates, type LoadKubeAccessOptions } from './kube-presence.js';

/** A loaded kubeconfig plus the typed API the credential readers use. Node watchers build on `kubeConfig`. */
export interface KubeAccess {
  readonly kubeConfig: KubeConfig;
  readonly core: CoreV1Api;
  /** `in-cluster`, or the kubeconfig file used. For logs: never holds credentials. */
  readonly source: string;
  /** The API server URL. */
  readonly server: string;
  /**
   * The namespace a command without `-n` works in, as kubectl picks it: the context's `namespace`, in-cluster the
   * pod's own (the service account's `namespace` file), else `default` (`Namespace()` in
   * https://github.com/kubernetes/client-go/blob/master/tools/clientcmd/client_config.go).
   */
  readonly namespace: string;
}

export type KubeAccessErrorCode = 'PG_KUBE_CONFIG_MISSING' | 'PG_KUBE_CONFIG_INVALID';

/** Start-up error: messages name files, never their content (a kubeconfig holds tokens). */
export class KubeAccessError extends PullguardError {
  declare readonly code: KubeAccessErrorCode;

  constructor(code: KubeAccessErrorCode, message: string) {
    super(code, message);
    this.name = 'KubeAccessError';
  }
}

export type { LoadKubeAccessOptions } from './kube-presence.js';

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Loads API access in this order: explicit kubeconfig, in-cluster (KUBERNETES_SERVICE_HOST plus a mounted token),
 * the first existing file of KUBECONFIG, `~/.kube/config`. Returns undefined when `mode` is false, or `auto` and
 * nothing is found; throws {@link KubeAccessError} when `mode` is true and nothing is found, or a file is unusable.
 * A `context` (kubectl's `--context`) skips the in-cluster config and must name a context of the file found.
 */
export function loadKubeAccess(options: LoadKubeAccessOptions): KubeAccess | undefined {
  if (options.mode === false) return undefined;
  if (options.kubeconfigPath !== undefined) {
    if (!existsSync(options.kubeconfigPath)) {
      throw new KubeAccessError(
        'PG_KUBE_CONFIG_MISSING',
        `kubeconfig ${options.kubeconfigPath} does not exist; check the path given with --kubeconfig`,
      );
    }
    return fromFile(options.kubeconfigPath, options.context);
  }
  // As kubectl: a named context is looked up in the kubeconfig files, never in the in-cluster config.
  const inCluster = options.context === undefined ? inClusterAccess(options) : undefined;
  if (inCluster !== undefined) return inCluster;
  const file = kubeconfigCandidates(options).find((candidate) => existsSync(candidate));
  if (file !== undefined) return fromFile(file, options.context);
  if (options.context !== undefined) {
    throw new KubeAccessError(
      'PG_KUBE_CONFIG_MISSING',
      `context ${JSON.stringify(options.context)} was asked for but there is no kubeconfig at ` +
        `${kubeconfigCandidates(options).join(', ')}; point KUBECONFIG or --kubeconfig at the file that has it`,
    );
  }
  if (options.mode === true) {
    throw new KubeAccessError(
      'PG_KUBE_CONFIG_MISSING',
      'credentials.kubernetes is true but no Kubernetes API access was found: not in a cluster (KUBERNETES_SERVICE_HOST ' +
        `and a service-account token), no kubeconfig at ${kubeconfigCandidates(options).join(', ')}; ` +
        'point KUBECONFIG at one, or set credentials.kubernetes to auto or false',
    );
  }
  return undefined;
}

function inClusterAccess(options: LoadKubeAccessOptions): KubeAccess | undefined {
  const host = options.env['KUBERNETES_SERVICE_HOST'];
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const tokenFile = path.join(dir, 'token');
  if (host === undefined || host === '' || !existsSync(tokenFile)) return undefined;
  const port = options.env['KUBERNETES_SERVICE_PORT'] ?? '443';
  const server = `https://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  const kubeConfig = new KubeConfig();
  // Same shape as KubeConfig.loadFromCluster(), but from the env we were given. The tokenFile provider re-reads the
  // projected token, so rotation needs no restart.
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'inCluster', server, caFile: path.join(dir, 'ca.crt'), skipTLSVerify: false }],
    users: [{ name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile } } }],
    contexts: [{ name: 'inClusterContext', cluster: 'inCluster', user: 'inClusterUser' }],
    currentContext: 'inClusterContext',
  });
  return access(kubeConfig, 'in-cluster', podNamespace(path.join(dir, 'namespace')));
}

/** The namespace file mounted beside the token; `default` when it is missing or not a namespace name. */
function podNamespace(file: string): string {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return NAMESPACE_NAME.test(text) ? text : 'default';
  } catch {
    return 'default';
  }
}

/** A DNS-1123 label, the form of every namespace name. */
const NAMESPACE_NAME = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

function fromFile(file: string, context: string | undefined): KubeAccess {
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromFile(file);
  } catch (error) {
    // YAML errors quote the offending lines, which may hold a token: keep only the position.
    const line = (error as { mark?: { line?: number } }).mark?.line;
    const where = typeof line === 'number' ? ` (line ${line + 1})` : '';
    const what =
      (error as Error).name === 'YAMLException'
        ? 'is not valid YAML'
        : `is not a usable kubeconfig: ${(error as Error).message}`;
    throw new KubeAccessError(
      'PG_KUBE_CONFIG_INVALID',
      `kubeconfig ${file} ${what}${where}; fix the file or use another kubeconfig`,
    );
  }
  if (context !== undefined) {
    if (kubeConfig.getContextObject(context) === null) {
      throw new KubeAccessError(
        'PG_KUBE_CONFIG_INVALID',
        `kubeconfig ${file} has no context ${JSON.stringify(context)}; kubectl config get-contexts lists the contexts`,
      );
    }
    kubeConfig.setCurrentContext(context);
  }
  const namespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
  return access(kubeConfig, file, namespace !== undefined && namespace !== '' ? namespace : 'default');
}

function access(kubeConfig: KubeConfig, source: string, namespace: string): KubeAccess {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null || kubeConfig.getCurrentUser() === null) {
    const problem = `kubeconfig ${source} has no current context with a cluster and a user; set one with kubectl config use-context`;
    throw new KubeAccessError('PG_KUBE_CONFIG_INVALID', problem);
  }
  const core = kubeConfig.makeApiClient(CoreV1Api);
  return Object.freeze({ kubeConfig, core, source, server: cluster.server, namespace });
}
