/**
 * What `pullguard certs --secret` needs of the Kubernetes API: one request at a time, answered with a classified
 * outcome (src/kube/kube-request.ts implements it over client-node; its answers carry only the status, never a body
 * that might hold the key). Also the one-line error of a failed request, naming the object and, for a 403, the RBAC
 * verb the service account lacks.
 */
import { PullguardError } from '../errors/pullguard-error.js';

export type CertsApiAnswer =
  | { readonly status: 'ok'; readonly value: Readonly<Record<string, unknown>> }
  | { readonly status: 'not-found' }
  | { readonly status: 'conflict' }
  | { readonly status: 'error'; readonly kind: string; readonly detail: string };

/** One request; `body` is sent as JSON with `contentType` (default `application/json`). Never rejects. */
export type CertsApiRequest = (
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  path: string,
  body?: object,
  contentType?: string,
) => Promise<CertsApiAnswer>;

/** The object a request was about, as the failure line names it and RBAC grants it. */
export interface ApiObject {
  /** E.g. `Secret pullguard/pullguard-tls`. */
  readonly label: string;
  /** The RBAC resource and where it is granted, e.g. `secrets in the namespace "pullguard"`. */
  readonly rbac: string;
}

/** The failure of `verb` on `object`: exit code 1 (`PG_CERTS_API_FAILED`), one line, the reason and the fix. */
export function apiFailure(
  verb: string,
  object: ApiObject,
  answer: { readonly kind: string; readonly detail: string },
): PullguardError {
  const why =
    answer.detail === 'HTTP 401'
      ? 'the API server refused the credentials (HTTP 401)'
      : answer.kind === 'forbidden'
        ? `forbidden (${answer.detail}): the service account needs the RBAC verb "${verb}" on ${object.rbac}`
        : answer.detail;
  return new PullguardError('PG_CERTS_API_FAILED', `cannot ${verb} ${object.label}: ${why}`);
}

/** True for the 422 Invalid the API server answers when a JSON patch's `test` operation fails. */
export function isInvalid(answer: CertsApiAnswer): boolean {
  return answer.status === 'error' && answer.detail === 'HTTP 422';
}

export function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `metadata.resourceVersion` of an answer, when it has one. */
export function resourceVersionOf(value: Readonly<Record<string, unknown>>): string | undefined {
  const metadata = value['metadata'];
  const version = isObject(metadata) ? metadata['resourceVersion'] : undefined;
  return typeof version === 'string' && version !== '' ? version : undefined;
}
