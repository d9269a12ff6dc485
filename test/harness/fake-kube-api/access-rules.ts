/**
 * RBAC as the fake API plays it: everything is allowed except what a deny rule matches. The same rules answer
 * `SelfSubjectAccessReview`s (https://kubernetes.io/docs/reference/access-authn-authz/authorization/#checking-api-access)
 * and turn the matching real requests into the API server's `403` Forbidden Status
 * (https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb).
 */
import type { ResourcePath } from './resources.js';

/** What one rule denies; an absent field matches anything. `group` is '' for the core group. */
export interface DenyRule {
  readonly verb?: string;
  readonly group?: string;
  /** The plural, e.g. `deployments`. */
  readonly resource?: string;
  readonly namespace?: string;
}

/** One request as RBAC sees it; `namespace` undefined is the cluster scope. */
export interface Attributes {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** The identity the fake API's token stands for. */
const USER = 'system:serviceaccount:pullguard:pullguard';

export function isDenied(rules: readonly DenyRule[], request: Attributes): boolean {
  return rules.some(
    (rule) =>
      (rule.verb === undefined || rule.verb === request.verb) &&
      (rule.group === undefined || rule.group === request.group) &&
      (rule.resource === undefined || rule.resource === request.resource) &&
      (rule.namespace === undefined || rule.namespace === request.namespace),
  );
}

/** The RBAC attributes of a request to a served resource. */
export function requestAttributes(method: string, resource: ResourcePath, watch: boolean): Attributes {
  const verbs: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
  const verb = method === 'GET' ? (resource.name !== undefined ? 'get' : watch ? 'watch' : 'list') : verbs[method];
  const key = resource.type.key;
  return {
    verb: verb ?? method.toLowerCase(),
    group: key.includes('/') ? (key.split('/')[0] ?? '') : '',
    resource: key.split('/').at(-1) ?? key,
    ...(resource.namespace !== undefined ? { namespace: resource.namespace } : {}),
    ...(resource.name !== undefined && method !== 'POST' ? { name: resource.name } : {}),
  };
}

/** The `403` Status the API server sends, worded as it words it. */
export function forbiddenBody(request: Attributes): object {
  const qualified = request.group === '' ? request.resource : `${request.resource}.${request.group}`;
  const subject = request.name !== undefined ? `${qualified} "${request.name}"` : qualified;
  const scope = request.namespace !== undefined ? `in the namespace "${request.namespace}"` : 'at the cluster scope';
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message:
      `${subject} is forbidden: User "${USER}" cannot ${request.verb} resource "${request.resource}" in API group ` +
      `"${request.group}" ${scope}`,
    reason: 'Forbidden',
    details: {
      ...(request.name !== undefined ? { name: request.name } : {}),
      group: request.group,
      kind: request.resource,
    },
    code: 403,
  };
}

/**
 * The answer to a `SelfSubjectAccessReview` create: `201` and the review with `status`, or `422` when the body asks
 * nothing (no `spec.resourceAttributes`).
 */
export function accessReviewAnswer(
  rules: readonly DenyRule[],
  body: unknown,
): { readonly code: number; readonly body: object } {
  const spec = field(body, 'spec');
  const attributes = field(spec, 'resourceAttributes');
  if (attributes === undefined) {
    const message =
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: ' +
      '"null": exactly one of nonResourceAttributes or resourceAttributes must be specified';
    return {
      code: 422,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason: 'Invalid',
        code: 422,
      },
    };
  }
  const text = (key: string) => (typeof attributes[key] === 'string' ? attributes[key] : '');
  const namespace = text('namespace');
  const request: Attributes = {
    verb: text('verb'),
    group: text('group'),
    resource: text('resource'),
    ...(namespace !== '' ? { namespace } : {}),
  };
  const allowed = !isDenied(rules, request);
  const reason = allowed
    ? `RBAC: allowed by ClusterRoleBinding "pullguard" of ClusterRole "pullguard" to ServiceAccount "pullguard/pullguard"`
    : `RBAC: no rule grants ${request.verb} on ${request.resource}${request.group === '' ? '' : `.${request.group}`}`;
  return {
    code: 201,
    body: {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec,
      status: { allowed, reason },
    },
  };
}

function field(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const inner = (value as Record<string, unknown>)[key];
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner)
    ? (inner as Record<string, unknown>)
    : undefined;
}
