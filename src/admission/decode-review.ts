/**
 * Decodes an untrusted request body into an AdmissionRequest, once, at the edge. Every failure is a
 * {@link DecodeError} that says what is wrong, so the server can answer 400 instead of crashing or guessing.
 */
import { Compile } from 'typebox/compile';
import { AdmissionReviewSchema, type AdmissionRequest } from './review-schema.js';

export interface DecodeError {
  readonly code: 'INVALID_REVIEW';
  readonly message: string;
  /** The uid, when the body had a usable one, so logs can correlate even a rejected body. */
  readonly uid?: string;
}

export type DecodeResult = { readonly ok: true; readonly request: AdmissionRequest } | { readonly ok: false; readonly error: DecodeError };

const reviewValidator = Compile(AdmissionReviewSchema);
const MAX_REPORTED_PROBLEMS = 5;

export function decodeReview(body: unknown): DecodeResult {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return invalid('body must be a JSON object (an admission.k8s.io/v1 AdmissionReview)');
  }
  const envelope = body as Record<string, unknown>;
  if (envelope['apiVersion'] !== 'admission.k8s.io/v1' && typeof envelope['apiVersion'] === 'string') {
    return invalid(`unsupported apiVersion ${JSON.stringify(truncate(envelope['apiVersion']))}; only admission.k8s.io/v1 is served`);
  }
  if (reviewValidator.Check(body)) return { ok: true, request: body.request };
  const problems = describeProblems([...reviewValidator.Errors(body)]).slice(0, MAX_REPORTED_PROBLEMS);
  const request = envelope['request'];
  const uid = request !== null && typeof request === 'object' ? (request as Record<string, unknown>)['uid'] : undefined;
  return invalid(`invalid AdmissionReview: ${problems.join('; ')}`, typeof uid === 'string' ? truncate(uid) : undefined);
}

interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message: string;
  readonly params: unknown;
}

/**
 * One problem per field: the alternatives of a union (`must be "CREATE"`, `must be "UPDATE"`, …) are merged into
 * `must be "CREATE" or "UPDATE" or …`, so the message reads as one requirement.
 */
function describeProblems(errors: readonly SchemaError[]): string[] {
  const byPath = new Map<string, string[]>();
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'boolean') continue;
    const text = error.keyword === 'const' ? `must be ${JSON.stringify((error.params as { allowedValue?: unknown }).allowedValue)}` : error.message;
    const path = pointerToPath(error.instancePath);
    byPath.set(path, [...(byPath.get(path) ?? []), text]);
  }
  return [...byPath].map(([path, texts]) => {
    const unique = [...new Set(texts)];
    const merged = unique.every((text) => text.startsWith('must be ')) ? `must be ${unique.map((text) => text.slice(8)).join(' or ')}` : unique.join('; ');
    return `${path} ${merged}`;
  });
}

function invalid(message: string, uid?: string): DecodeResult {
  return { ok: false, error: { code: 'INVALID_REVIEW', message, ...(uid ? { uid } : {}) } };
}

/** `/request/kind/kind` → `request.kind.kind`, the way users read field paths. */
function pointerToPath(pointer: string): string {
  if (pointer === '') return 'body';
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => truncate(part, 64))
    .join('.');
}

function truncate(text: string, max = 128): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
