/**
 * Builds the AdmissionReview v1 answer the API server accepts
 * (https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#response): same
 * apiVersion/kind, the request's uid, `allowed`, a 403 Forbidden status with the message on denial, legal warnings,
 * audit annotations, and never a patch.
 */
export interface AdmissionAnswer {
  readonly allowed: boolean;
  /** The denial message (only with allowed: false). */
  readonly message?: string;
  readonly warnings?: readonly string[];
  readonly auditAnnotations?: Readonly<Record<string, string>>;
}

export interface AdmissionReviewResponse {
  readonly apiVersion: 'admission.k8s.io/v1';
  readonly kind: 'AdmissionReview';
  readonly response: {
    readonly uid: string;
    readonly allowed: boolean;
    readonly status?: { readonly code: 403; readonly reason: 'Forbidden'; readonly message: string };
    readonly warnings?: readonly string[];
    readonly auditAnnotations?: Readonly<Record<string, string>>;
  };
}

export function buildResponse(uid: string, answer: AdmissionAnswer): AdmissionReviewResponse {
  // Built field by field, not with conditional spreads: every review is answered through here.
  const response: {
    -readonly [K in keyof AdmissionReviewResponse['response']]: AdmissionReviewResponse['response'][K];
  } = { uid, allowed: answer.allowed };
  if (!answer.allowed) {
    response.status = { code: 403, reason: 'Forbidden', message: answer.message ?? 'denied by pullguard' };
  }
  if (answer.warnings && answer.warnings.length > 0) response.warnings = answer.warnings;
  if (answer.auditAnnotations && hasKeys(answer.auditAnnotations)) response.auditAnnotations = answer.auditAnnotations;
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}

function hasKeys(record: Readonly<Record<string, string>>): boolean {
  for (const _key in record) return true;
  return false;
}
