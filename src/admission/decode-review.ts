/**
 * Decodes an untrusted request body into an AdmissionRequest, once, at the edge. Every failure is a
 * {@link DecodeError} that says what is wrong, so the server can answer 400 instead of crashing or guessing.
 */
import { Compile } from 'typebox/compile';
import { mergedSchemaProblems, pointerSegments } from '../runtime/schema-errors.js';
import { AdmissionReviewSchema, type AdmissionRequest } from './review-schema.js';

export interface DecodeError {
  readonly code: 'INVALID_REVIEW';
  readonly message: string;
  /** The uid, when the body had a usable one, so logs can correlate even a rejected body. */
  readonly uid?: string;
}

export type DecodeResult =
  { readonly ok: true; readonly request: AdmissionRequest } | { readonly ok: false; readonly error: DecodeError };

const reviewValidator = Compile(AdmissionReviewSchema);
const MAX_REPORTED_PROBLEMS = 5;

export function decodeReview(body: unknown): DecodeResult {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return invalid('body must be a JSON object (an admission.k8s.io/v1 AdmissionReview)');
  }
  const envelope = body as Record<string, unknown>;
  if (envelope['apiVersion'] !== 'admission.k8s.io/v1' && typeof envelope['apiVersion'] === 'string') {
    return invalid(
      `unsupported apiVersion ${JSON.stringify(truncate(envelope['apiVersion']))}; only admission.k8s.io/v1 is served`,
    );
  }
  if (reviewValidator.Check(body)) return { ok: true, request: body.request };
  const problems = mergedSchemaProblems(reviewValidator.Errors(body), pointerToPath).slice(0, MAX_REPORTED_PROBLEMS);
  const request = envelope['request'];
  const uid = request !== null && typeof request === 'object' ? (request as Record<string, unknown>)['uid'] : undefined;
  return invalid(
    `invalid AdmissionReview: ${problems.join('; ')}`,
    typeof uid === 'string' ? truncate(uid) : undefined,
  );
}

function invalid(message: string, uid?: string): DecodeResult {
  return { ok: false, error: { code: 'INVALID_REVIEW', message, ...(uid ? { uid } : {}) } };
}

/** `/request/kind/kind` → `request.kind.kind`, the way users read field paths. */
function pointerToPath(pointer: string): string {
  if (pointer === '') return 'body';
  return pointerSegments(pointer)
    .map((part) => truncate(part, 64))
    .join('.');
}

function truncate(text: string, max = 128): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
