/**
 * Builders for AdmissionReview v1 requests as the API server sends them
 * (https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#request), so tests read
 * like the cluster event they stand for: "a Deployment CREATE with this pod spec".
 */
import { randomUUID } from 'node:crypto';
import type { WorkloadKind } from '../../src/workload/pod-spec-paths.js';

export interface ReviewRequestOptions {
  readonly kind: { readonly group: string; readonly version: string; readonly kind: string };
  readonly object?: unknown;
  readonly oldObject?: unknown;
  readonly operation?: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  readonly subResource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly dryRun?: boolean;
  readonly uid?: string;
}

/** A full AdmissionReview with only `request` set, the body the API server POSTs. */
export function admissionReview(options: ReviewRequestOptions): {
  apiVersion: string;
  kind: string;
  request: Record<string, unknown>;
} {
  const resource = `${options.kind.kind.toLowerCase()}s`;
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: options.uid ?? randomUUID(),
      kind: options.kind,
      resource: { group: options.kind.group, version: options.kind.version, resource },
      requestKind: options.kind,
      ...(options.subResource ? { subResource: options.subResource } : {}),
      ...(options.name !== undefined ? { name: options.name } : {}),
      namespace: options.namespace ?? 'shop',
      operation: options.operation ?? 'CREATE',
      userInfo: { username: 'alice', groups: ['system:authenticated'] },
      object: options.object ?? null,
      oldObject: options.oldObject ?? null,
      dryRun: options.dryRun ?? false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    },
  };
}

/** The apiVersion string of a kind row: `apps/v1`, or `v1` for the core group. */
function apiVersionOf(kind: { readonly group: string; readonly version: string }): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}

/** An object of `kind` whose pod spec (at the kind's path, docs/design.md §1.1) is `podSpec`. */
export function workloadWith(
  kind: WorkloadKind,
  podSpec: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): Record<string, unknown> {
  let inner: Record<string, unknown> = podSpec;
  for (const segment of [...kind.podSpecPath].reverse()) inner = { [segment]: inner };
  return {
    apiVersion: apiVersionOf(kind),
    kind: kind.kind,
    metadata: { name: 'web', namespace: 'shop', ...metadata },
    ...inner,
  };
}

/** A review of `object` of workload `kind`. */
export function workloadReview(
  kind: WorkloadKind,
  object: unknown,
  options: Omit<ReviewRequestOptions, 'kind' | 'object'> = {},
) {
  return admissionReview({
    kind: { group: kind.group, version: kind.version, kind: kind.kind },
    object,
    name: 'web',
    ...options,
  });
}

export const POD_KIND = { group: '', version: 'v1', kind: 'Pod' } as const;
