/**
 * The port through which credential building reads the cluster. The Kubernetes adapter (src/kube/) implements it
 * with `get` by name only; tests implement it in memory. Nothing here knows about HTTP or client-node.
 */

/** The parts of a v1 Secret the kubelet looks at. `data` values are base64, as the API returns them. */
export interface SecretData {
  readonly type: string;
  readonly data: Readonly<Record<string, string>>;
}

/**
 * The parts of a v1 ServiceAccount pullguard uses: its pull secrets' names, and its annotation keys (the values are
 * never needed: a credential provider's `requiredServiceAccountAnnotationKeys` only ask that a key be present).
 */
export interface ServiceAccountData {
  readonly imagePullSecrets: readonly string[];
  readonly annotationKeys: readonly string[];
}

/** Why a read failed, as the adapter classified it at the edge. */
export type ReadFailure = 'forbidden' | 'timeout' | 'unavailable' | 'invalid';

/**
 * The result of one read. `detail` is safe to show (e.g. `HTTP 503`, `connection refused`): never an API body,
 * never secret data.
 */
export type ReadResult<T> =
  | { readonly status: 'found'; readonly value: T }
  | { readonly status: 'not-found' }
  | { readonly status: 'error'; readonly kind: ReadFailure; readonly detail: string };

/** Reads by name. Every call is bounded by `signal` and resolves (never rejects) with a {@link ReadResult}. */
export interface ClusterReader {
  getSecret(namespace: string, name: string, signal: AbortSignal): Promise<ReadResult<SecretData>>;
  getServiceAccount(namespace: string, name: string, signal: AbortSignal): Promise<ReadResult<ServiceAccountData>>;
  getNamespaceLabels(name: string, signal: AbortSignal): Promise<ReadResult<Readonly<Record<string, string>>>>;
}
