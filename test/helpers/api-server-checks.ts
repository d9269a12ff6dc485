/**
 * Checks an answer to an AdmissionReview the way kube-apiserver does
 * (https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#response, apiserver
 * `request/admissionreview.go` VerifyAdmissionResponse and `filters/warning.go`), plus pullguard's own promises about
 * warnings (docs/design.md §2.3) and denials (§2.2). Returns every problem found; empty means accepted.
 */
export interface HttpAnswer {
  readonly statusCode: number;
  /** The raw response body. */
  readonly body: string;
}

const MAX_WARNING_CHARS = 120;
const MAX_WARNINGS = 11; // 10 plus one summary
const MAX_MESSAGE_BYTES = 4096;
// The API server drops a warning containing any control character (NewWarningHeader).
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** Problems the API server (or pullguard's contract) would find in this answer to the request with `uid`. */
export function apiServerProblems(answer: HttpAnswer, uid: string): string[] {
  const problems: string[] = [];
  if (answer.statusCode !== 200) problems.push(`HTTP status ${answer.statusCode}, want 200`);
  if (!isWellFormedUtf8(answer.body)) problems.push('body is not well-formed UTF-8');
  let review: unknown;
  try {
    review = JSON.parse(answer.body);
  } catch {
    return [...problems, 'body is not JSON'];
  }
  if (!isRecord(review)) return [...problems, 'body is not a JSON object'];
  if (review['apiVersion'] !== 'admission.k8s.io/v1')
    problems.push(`apiVersion ${JSON.stringify(review['apiVersion'])}, want admission.k8s.io/v1`);
  if (review['kind'] !== 'AdmissionReview')
    problems.push(`kind ${JSON.stringify(review['kind'])}, want AdmissionReview`);
  const response = review['response'];
  if (!isRecord(response)) return [...problems, 'webhook response was absent'];
  if (response['uid'] !== uid)
    problems.push(`response.uid ${JSON.stringify(response['uid'])}, want ${JSON.stringify(uid)}`);
  if (typeof response['allowed'] !== 'boolean') problems.push('response.allowed is not a boolean');
  if ('patch' in response) problems.push('validating webhook may not return response.patch');
  if ('patchType' in response) problems.push('validating webhook may not return response.patchType');
  problems.push(...warningProblems(response['warnings']));
  if (response['allowed'] === false) problems.push(...denialProblems(response['status']));
  const audit = response['auditAnnotations'];
  if (audit !== undefined && !(isRecord(audit) && Object.values(audit).every((v) => typeof v === 'string'))) {
    problems.push('auditAnnotations must map strings to strings');
  }
  return problems;
}

function warningProblems(warnings: unknown): string[] {
  if (warnings === undefined) return [];
  if (!Array.isArray(warnings)) return ['response.warnings is not an array'];
  const problems: string[] = [];
  if (warnings.length > MAX_WARNINGS) problems.push(`${warnings.length} warnings, want at most ${MAX_WARNINGS}`);
  warnings.forEach((warning: unknown, i) => {
    if (typeof warning !== 'string') return problems.push(`warnings[${i}] is not a string`);
    if ([...warning].length > MAX_WARNING_CHARS)
      problems.push(`warnings[${i}] has ${[...warning].length} characters, want ≤ ${MAX_WARNING_CHARS}`);
    if (CONTROL_CHARACTERS.test(warning)) problems.push(`warnings[${i}] contains a control character`);
    if (!warning.isWellFormed()) problems.push(`warnings[${i}] is not valid UTF-8 (lone surrogate)`);
    if (/^warning:/i.test(warning)) problems.push(`warnings[${i}] starts with "Warning:"`);
    if (warning.trim() === '') problems.push(`warnings[${i}] is empty`);
    return undefined;
  });
  return problems;
}

function denialProblems(status: unknown): string[] {
  if (!isRecord(status)) return ['denial without response.status'];
  const problems: string[] = [];
  if (status['code'] !== 403) problems.push(`status.code ${JSON.stringify(status['code'])}, want 403`);
  if (status['reason'] !== 'Forbidden')
    problems.push(`status.reason ${JSON.stringify(status['reason'])}, want Forbidden`);
  const message = status['message'];
  if (typeof message !== 'string' || message === '') problems.push('denial without status.message');
  else if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES)
    problems.push(`status.message has ${Buffer.byteLength(message)} bytes, want < 4 KiB`);
  return problems;
}

function isWellFormedUtf8(text: string): boolean {
  return text.isWellFormed() && !text.includes('\uFFFD');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The parts of an accepted answer tests look at. Call only after {@link apiServerProblems} returned none. */
export interface AdmissionAnswerView {
  readonly allowed: boolean;
  readonly message: string;
  readonly warnings: readonly string[];
  readonly findings: readonly {
    readonly path?: string;
    readonly class: string;
    readonly action: string;
    readonly reference?: string;
  }[];
}

/** Parses an answer that passed {@link apiServerProblems} into what tests assert on. */
export function answerView(body: string): AdmissionAnswerView {
  const review: unknown = JSON.parse(body);
  const response = isRecord(review) && isRecord(review['response']) ? review['response'] : {};
  const status = isRecord(response['status']) ? response['status'] : {};
  const audit = isRecord(response['auditAnnotations']) ? response['auditAnnotations'] : {};
  const findingsText = typeof audit['findings'] === 'string' ? audit['findings'] : '[]';
  return {
    allowed: response['allowed'] === true,
    message: typeof status['message'] === 'string' ? status['message'] : '',
    warnings: Array.isArray(response['warnings'])
      ? response['warnings'].filter((w): w is string => typeof w === 'string')
      : [],
    findings: JSON.parse(findingsText) as AdmissionAnswerView['findings'],
  };
}
