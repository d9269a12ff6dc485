/**
 * The {@link ClusterReader} port over client-node: `get` by name only. Never list or watch Secrets — list and watch
 * expose every Secret's contents (SPEC §1.4). Each call is bounded by the caller's signal and a request timeout;
 * failures are classified by {@link classifyKubeError} and never rethrown.
 */
import { Observable, type ObservableMiddleware, type RequestContext, type ResponseContext } from '@kubernetes/client-node';
import Type from 'typebox';
import { Value } from 'typebox/value';
import type { ClusterReader, ReadResult } from '../credentials/cluster-port.js';
import { classifyKubeError } from './api-error.js';
import { createCachedClusterReader, type CachedClusterReaderOptions } from './cached-cluster-reader.js';
import type { KubeAccess } from './kube-config.js';

export interface KubeClusterReaderOptions {
  /** Ceiling for one API request, whatever the caller's deadline (default 10 s). */
  readonly requestTimeoutMs?: number;
}

const SecretShape = Type.Object({
  type: Type.Optional(Type.String()),
  data: Type.Optional(Type.Record(Type.String(), Type.String())),
});
const ServiceAccountShape = Type.Object({
  imagePullSecrets: Type.Optional(Type.Array(Type.Object({ name: Type.Optional(Type.String()) }))),
});
const NamespaceShape = Type.Object({
  metadata: Type.Optional(Type.Object({ labels: Type.Optional(Type.Record(Type.String(), Type.String())) })),
});

/** Reads through the API on every call (no cache); see {@link createClusterReader} for the cached one. */
export function createKubeClusterReader(kube: KubeAccess, options: KubeClusterReaderOptions = {}): ClusterReader {
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const call = <T>(signal: AbortSignal, send: (options: { middleware: ObservableMiddleware[]; middlewareMergeStrategy: 'append' }) => Promise<unknown>, shape: (body: unknown) => ReadResult<T>) =>
    bounded(AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]), send, shape);
  return {
    getSecret: (namespace, name, signal) =>
      call(signal, (o) => kube.core.readNamespacedSecret({ namespace, name }, o), (body) =>
        Value.Check(SecretShape, body)
          ? found({ type: body.type ?? 'Opaque', data: Object.freeze({ ...(body.data ?? {}) }) })
          : invalid('not a Secret'),
      ),
    getServiceAccount: (namespace, name, signal) =>
      call(signal, (o) => kube.core.readNamespacedServiceAccount({ namespace, name }, o), (body) =>
        Value.Check(ServiceAccountShape, body)
          ? found({ imagePullSecrets: Object.freeze((body.imagePullSecrets ?? []).map((ref) => ref.name ?? '')) })
          : invalid('not a ServiceAccount'),
      ),
    getNamespaceLabels: (name, signal) =>
      call(signal, (o) => kube.core.readNamespace({ name }, o), (body) =>
        Value.Check(NamespaceShape, body) ? found(Object.freeze({ ...(body.metadata?.labels ?? {}) })) : invalid('not a Namespace'),
      ),
  };
}

/** The reader the review path uses: API reads behind a 30 s cache with coalesced concurrent reads. */
export function createClusterReader(
  kube: KubeAccess,
  options: KubeClusterReaderOptions & CachedClusterReaderOptions = {},
): ClusterReader {
  return createCachedClusterReader(createKubeClusterReader(kube, options), options);
}

const found = <T>(value: T): ReadResult<T> => ({ status: 'found', value });
const invalid = (detail: string): ReadResult<never> => ({ status: 'error', kind: 'invalid', detail });

async function bounded<T>(
  signal: AbortSignal,
  send: (options: { middleware: ObservableMiddleware[]; middlewareMergeStrategy: 'append' }) => Promise<unknown>,
  shape: (body: unknown) => ReadResult<T>,
): Promise<ReadResult<T>> {
  if (signal.aborted) return classifyKubeError(signal.reason, signal);
  try {
    // client-node 2.x takes no signal argument, but a per-call middleware can put one on the request context,
    // which its fetch honours; racing the signal too covers any await that ignores it.
    const body = await raceSignal(send({ middleware: [signalMiddleware(signal)], middlewareMergeStrategy: 'append' }), signal);
    return shape(body);
  } catch (error) {
    return classifyKubeError(error, signal);
  }
}

function signalMiddleware(signal: AbortSignal): ObservableMiddleware {
  return {
    pre: (context: RequestContext) => {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (response: ResponseContext) => new Observable(Promise.resolve(response)),
  };
}

function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
