/** v1 Status bodies, as the API server sends them for failures. */

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
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

/**
 * The `409` Status of a write: `AlreadyExists` for a create whose name is taken, `Conflict` for an update whose
 * `metadata.resourceVersion` is stale, with the real server's messages.
 */
export function conflictBody(reason: 'AlreadyExists' | 'Conflict', plural: string, name: string): object {
  const message =
    reason === 'AlreadyExists'
      ? `${plural} "${name}" already exists`
      : `Operation cannot be fulfilled on ${plural} "${name}": the object has been modified; please apply your ` +
        'changes to the latest version and try again';
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details: { name, kind: plural },
    code: 409,
  };
}
