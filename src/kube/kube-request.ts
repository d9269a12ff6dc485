/**
 * One Kubernetes API request over client-node's authentication and fetch (as diagnose-reader.ts does): the JSON body
 * of a 200/201 answer, or a classified outcome. A `409` is its own outcome (an AlreadyExists create, a Conflict
 * update: the caller decides); other failures go through {@link classifyKubeError}, which keeps only the status, never
 * the body. Each request is bounded by `timeoutMs` and the caller's signal; nothing is thrown.
 */
import {
  ApiException,
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  RequestContext,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { ReadFailure } from '../credentials/cluster-port.js';
import { linkedDeadline } from '../runtime/linked-deadline.js';
import { classifyKubeError } from './api-error.js';
import { readBoundedJson } from './bounded-body.js';

export type KubeAnswer =
  | { readonly status: 'ok'; readonly value: Readonly<Record<string, unknown>> }
  | { readonly status: 'not-found' }
  | { readonly status: 'conflict' }
  | { readonly status: 'error'; readonly kind: ReadFailure; readonly detail: string };

export type KubeMethod = 'GET' | 'POST' | 'PUT' | 'PATCH';

/** Sends one request; `body` is sent as JSON with `contentType` (default `application/json`). */
export type KubeRequest = (
  method: KubeMethod,
  path: string,
  body?: object,
  contentType?: string,
  signal?: AbortSignal,
) => Promise<KubeAnswer>;

const METHODS: Readonly<Record<KubeMethod, HttpMethod>> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
};

/** Requests to the current cluster of `kubeConfig`, each bounded by `timeoutMs`. */
export function createKubeRequest(kubeConfig: KubeConfig, timeoutMs: number): KubeRequest {
  const http = new IsomorphicFetchHttpLibrary();
  const server = kubeConfig.getCurrentCluster()?.server.replace(/\/+$/, '');
  return async (method, path, body, contentType = 'application/json', signal) => {
    if (server === undefined || server === '')
      return { status: 'error', kind: 'invalid', detail: 'the kubeconfig names no cluster server' };
    const deadline = linkedDeadline(signal, timeoutMs, 'Kubernetes API request timed out');
    try {
      const context = new RequestContext(`${server}${path}`, METHODS[method]);
      context.setHeaderParam('Accept', 'application/json');
      if (body !== undefined) {
        context.setHeaderParam('Content-Type', contentType);
        context.setBody(JSON.stringify(body));
      }
      await kubeConfig.applySecurityAuthentication(context);
      context.setSignal(deadline.signal);
      const response = await http.send(context).toPromise();
      const code = response.httpStatusCode;
      if (code !== 200 && code !== 201) {
        // The body is dropped unread: only the status is kept (api-error.ts).
        await response.body.stream()?.cancel();
        if (code === 409) return { status: 'conflict' };
        throw new ApiException(code, `HTTP ${code}`, undefined, {});
      }
      const value = await readBoundedJson(response.body.stream(), deadline.signal);
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return { status: 'error', kind: 'invalid', detail: 'unreadable response' };
      return { status: 'ok', value: value as Record<string, unknown> };
    } catch (error) {
      const failure = classifyKubeError(error, deadline.signal);
      return failure.status === 'found' ? { status: 'error', kind: 'invalid', detail: 'unreadable response' } : failure;
    } finally {
      deadline.release();
    }
  };
}
