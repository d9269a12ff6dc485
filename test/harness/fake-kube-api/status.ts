/** v1 Status bodies, as the API server sends them for failures. */

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** A `{"kind":"Status",...}` body for `code`; names the resource when known, like the real server. */
export function statusBody(code: number, path: string, resource?: { plural: string; name?: string }): object {
  const reason = REASONS[code] ?? (code >= 500 ? 'InternalError' : 'BadRequest');
  const what = resource?.name !== undefined ? `${resource.plural} "${resource.name}"` : `the resource at ${path}`;
  const message =
    code === 404
      ? resource?.name !== undefined
        ? `${what} not found`
        : 'the server could not find the requested resource'
      : code === 403
        ? `${what} is forbidden: User "system:serviceaccount:pullguard:pullguard" cannot get resource`
        : `${reason} (fake kube API)`;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(resource?.name !== undefined ? { details: { name: resource.name, kind: resource.plural } } : {}),
    code,
  };
}
