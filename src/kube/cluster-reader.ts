/**
 * The {@link ClusterReader} port over client-node: `get` by name only. Never list or watch Secrets — list and watch
 * expose every Secret's contents (docs/design.md §1.4). Each call is bounded by the caller's signal and a request
 * timeout; failures are classified by {@link classifyKubeError} and never rethrown. A namespace or name that client-go
 * would refuse as a path segment (`.`, `..`, `a/b`, `%2e`, empty) is answered "not found" without a request:
 * `…/secrets/.` would otherwise reach the API server as the list URL `…/secrets/`.
 */
import {
  Observable,
  type ConfigurationOptions,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import Type, { type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { ClusterReader, ReadResult } from '../credentials/cluster-port.js';
import { isValidPathSegmentName } from '../credentials/object-name.js';
import { linkedDeadline } from '../runtime/linked-deadline.js';
import { classifyKubeError } from './api-error.js';
import {
  createCachedClusterReader,
  type CachedClusterReader,
  type CachedClusterReaderOptions,
} from './cached-cluster-reader.js';
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
  metadata: Type.Optional(Type.Object({ annotations: Type.Optional(Type.Record(Type.String(), Type.String())) })),
  imagePullSecrets: Type.Optional(Type.Array(Type.Object({ name: Type.Optional(Type.String()) }))),
});
const NamespaceShape = Type.Object({
  metadata: Type.Optional(Type.Object({ labels: Type.Optional(Type.Record(Type.String(), Type.String())) })),
});

/** Per-call client-node options; they carry the abort signal. */
type CallOptions = ConfigurationOptions<ObservableMiddleware>;

const NOT_FOUND: ReadResult<never> = Object.freeze({ status: 'not-found' });

/** Reads through the API on every call (no cache); see {@link createClusterReader} for the cached one. */
export function createKubeClusterReader(kube: KubeAccess, options: KubeClusterReaderOptions = {}): ClusterReader {
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const read = <S extends TSchema, T>(
    segments: readonly string[],
    signal: AbortSignal,
    send: (options: CallOptions) => Promise<unknown>,
    shape: { schema: S; what: string; value: (body: Static<S>) => T },
  ): Promise<ReadResult<T>> => {
    if (!segments.every(isValidPathSegmentName)) return Promise.resolve(NOT_FOUND);
    const deadline = linkedDeadline(signal, timeoutMs, 'Kubernetes API request timed out');
    return bounded(deadline.signal, send, (body) =>
      Value.Check(shape.schema, body)
        ? { status: 'found', value: shape.value(body) }
        : { status: 'error', kind: 'invalid', detail: `not a ${shape.what}` },
    ).finally(deadline.release);
  };
  return {
    getSecret: (namespace, name, signal) =>
      read([namespace, name], signal, (o) => kube.core.readNamespacedSecret({ namespace, name }, o), {
        schema: SecretShape,
        what: 'Secret',
        value: (body) => ({ type: body.type ?? 'Opaque', data: Object.freeze({ ...body.data }) }),
      }),
    getServiceAccount: (namespace, name, signal) =>
      read([namespace, name], signal, (o) => kube.core.readNamespacedServiceAccount({ namespace, name }, o), {
        schema: ServiceAccountShape,
        what: 'ServiceAccount',
        // Keys only (the API server caps all annotations of an object at 256 KiB, so their number is bounded).
        value: (body) => ({
          imagePullSecrets: Object.freeze((body.imagePullSecrets ?? []).map((r) => r.name ?? '')),
          annotationKeys: Object.freeze(Object.keys(body.metadata?.annotations ?? {})),
        }),
      }),
    getNamespaceLabels: (name, signal) =>
      read([name], signal, (o) => kube.core.readNamespace({ name }, o), {
        schema: NamespaceShape,
        what: 'Namespace',
        value: (body) => Object.freeze({ ...body.metadata?.labels }),
      }),
  };
}

/** The reader the review path uses: API reads behind a 30 s cache with coalesced concurrent reads. */
export function createClusterReader(
  kube: KubeAccess,
  options: KubeClusterReaderOptions & CachedClusterReaderOptions = {},
): CachedClusterReader {
  return createCachedClusterReader(createKubeClusterReader(kube, options), options);
}

async function bounded<T>(
  signal: AbortSignal,
  send: (options: CallOptions) => Promise<unknown>,
  shape: (body: unknown) => ReadResult<T>,
): Promise<ReadResult<T>> {
  if (signal.aborted) return classifyKubeError(signal.reason, signal);
  try {
    return shape(await callWithSignal(send, signal));
  } catch (error) {
    return classifyKubeError(error, signal);
  }
}

/**
 * A client-node call bounded by `signal`. client-node 2.x takes no signal argument, but a per-call middleware can put
 * one on the request context, which its fetch honours; racing the signal too covers any await that ignores it.
 */
export function callWithSignal<T>(send: (options: CallOptions) => Promise<T>, signal: AbortSignal): Promise<T> {
  return raceSignal(send({ middleware: [signalMiddleware(signal)], middlewareMergeStrategy: 'append' }), signal);
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
