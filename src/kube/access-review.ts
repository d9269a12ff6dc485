/**
 * What the service account may do, asked of the API server with `SelfSubjectAccessReview`s
 * (https://kubernetes.io/docs/reference/access-authn-authz/authorization/#checking-api-access): one review per wanted
 * access, all in parallel (at most 8 in flight, each with the timeout, bodies bounded by kube-request.ts). Only an
 * answer that says `status.allowed: true` counts as allowed; `false` is a denial with the server's reason; anything
 * else (a failure, a body that is not a review) is a problem, never "allowed". Nothing is thrown.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { mapLimit } from '../runtime/map-limit.js';
import { createKubeRequest, type KubeAnswer, type KubeRequest } from './kube-request.js';

/** One access the service account needs; `group` is '' for the core group, no `namespace` is cluster-wide. */
export interface AccessWanted {
  readonly verb: string;
  readonly group: string;
  /** The plural, e.g. `deployments`. */
  readonly resource: string;
  readonly namespace?: string;
}

export type DeniedAccess = AccessWanted & { readonly reason: string };

export interface AccessVerdict {
  readonly denied: DeniedAccess[];
  /** Why some reviews got no answer (their access is neither allowed nor in `denied`). */
  readonly problem?: string;
}

export interface AccessReviewOptions {
  readonly signal: AbortSignal;
  /** Ceiling for one review request. */
  readonly requestTimeoutMs: number;
}

const MAX_IN_FLIGHT = 8;
const REVIEWS = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
/** A denial's reason is the API server's text: kept short for the one log line it may end in. */
const MAX_REASON_CHARS = 200;

export async function reviewAccess(
  kubeConfig: KubeConfig,
  wanted: readonly AccessWanted[],
  options: AccessReviewOptions,
): Promise<AccessVerdict> {
  return reviewAccessWith(createKubeRequest(kubeConfig, options.requestTimeoutMs), wanted, options.signal);
}

type Review =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string } | { readonly problem: string };

/** The reviews over any {@link KubeRequest}. */
async function reviewAccessWith(
  request: KubeRequest,
  wanted: readonly AccessWanted[],
  signal: AbortSignal,
): Promise<AccessVerdict> {
  const distinct = [...new Map(wanted.map((access) => [keyOf(access), access])).values()];
  const reviews = await mapLimit(distinct, MAX_IN_FLIGHT, async (access) => {
    const answer = await request('POST', REVIEWS, reviewBody(access), undefined, signal);
    return { access, review: readReview(answer) };
  });
  const denied: DeniedAccess[] = [];
  const problems: string[] = [];
  for (const { access, review } of reviews) {
    if ('problem' in review) problems.push(`${describe(access)}: ${review.problem}`);
    else if (!review.allowed) denied.push({ ...access, reason: review.reason });
  }
  const [first] = problems;
  if (first === undefined) return { denied };
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return { denied, problem: `access review failed for ${first}${more}` };
}

function reviewBody(access: AccessWanted): object {
  return {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: {
      resourceAttributes: {
        verb: access.verb,
        group: access.group,
        resource: access.resource,
        ...(access.namespace !== undefined ? { namespace: access.namespace } : {}),
      },
    },
  };
}

function readReview(answer: KubeAnswer): Review {
  if (answer.status === 'error') return { problem: `${answer.kind} (${answer.detail})` };
  if (answer.status !== 'ok') return { problem: answer.status === 'not-found' ? 'not found' : 'conflict' };
  const status = answer.value['status'];
  const allowed = (status as { allowed?: unknown } | null | undefined)?.allowed;
  if (answer.value['kind'] !== 'SelfSubjectAccessReview' || typeof allowed !== 'boolean')
    return { problem: 'invalid (not a SelfSubjectAccessReview)' };
  if (allowed) return { allowed: true };
  const reason = (status as { reason?: unknown }).reason;
  const text = typeof reason === 'string' && reason.trim() !== '' ? reason.trim() : 'not allowed';
  return { allowed: false, reason: text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS)}…` : text };
}

function keyOf(access: AccessWanted): string {
  return JSON.stringify([access.verb, access.group, access.resource, access.namespace ?? null]);
}

function describe(access: AccessWanted): string {
  const resource = access.group === '' ? access.resource : `${access.resource}.${access.group}`;
  return `${access.verb} ${resource}${access.namespace !== undefined ? ` in ${access.namespace}` : ''}`;
}
