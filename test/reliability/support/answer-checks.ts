/**
 * What counts as a correct answer to an arbitrary body (docs/design.md §5.1, §7.2 R3): HTTP 400 with `{error: {code,
 * message}}`, or HTTP 200 with an AdmissionReview the API server accepts for the uid it sent. Never anything else.
 */
import { apiServerProblems } from '../../helpers/api-server-checks.js';

/** The uid the API server would expect back: `request.uid` as JSON.parse (last key wins) reads the body. */
function expectedUid(body: Buffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    const request = (parsed as { request?: { uid?: unknown } } | null)?.request;
    return typeof request?.uid === 'string' ? request.uid : undefined;
  } catch {
    return undefined;
  }
}

/** Problems with `answer` to `body`; empty means correct. */
export function answerProblems(body: Buffer, answer: { statusCode: number; raw: Buffer }): string[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(answer.raw);
  } catch {
    return ['answer is not valid UTF-8'];
  }
  if (answer.statusCode === 400) return errorBodyProblems(text);
  if (answer.statusCode !== 200) return [`HTTP ${answer.statusCode}, want 200 or 400`];
  const uid = expectedUid(body);
  if (uid === undefined) return ['HTTP 200 for a body without a string request.uid'];
  // apiServerProblems also flags U+FFFD; an answer that quotes a replaced invalid byte is still valid UTF-8.
  return apiServerProblems({ statusCode: 200, body: text }, uid).filter((p) => p !== 'body is not well-formed UTF-8');
}

function errorBodyProblems(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return ['400 body is not JSON'];
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const problems: string[] = [];
  if (typeof error?.code !== 'string' || !/^[A-Z_]+$/.test(error.code))
    problems.push('400 without a stable error.code');
  if (typeof error?.message !== 'string' || error.message.trim() === '') problems.push('400 without error.message');
  else if (error.message.length > 2048) problems.push(`400 error.message is ${error.message.length} characters long`);
  return problems;
}
