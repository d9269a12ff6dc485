/**
 * Request-supplied text in logs: every string is cut to a length that fits what it stands for, so a request with
 * a 6 MB kind or name makes an ordinary log line, and errors are reduced to a bounded, credential-free summary.
 */

/** Lengths by kind of field: Kubernetes names (DNS subdomains) are at most 253 characters, labels and kinds 63. */
export const LOG_LIMITS = Object.freeze({
  name: 253,
  label: 63,
  /** A sentence built from request data: a skip reason, a decode or extraction problem. */
  message: 512,
});

/** `text` cut to `max` characters (plus an ellipsis that says so); undefined stays undefined. */
export function clip(text: string, max: number): string;
export function clip(text: string | undefined, max: number): string | undefined;
export function clip(text: string | undefined, max: number): string | undefined {
  if (text === undefined || text.length <= max) return text;
  // Do not split a surrogate pair: half of one is not valid UTF-16 and pino would write U+FFFD.
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

const CREDENTIAL_PATTERNS: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[^\s"',;]+/gi, '$1 [redacted]'],
  [/(\/\/)[^\s/@"']+@/g, '$1[redacted]@'],
  [
    /\b(password|passwd|token|secret|auth|authorization|identitytoken|access_token)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi,
    '$1$2[redacted]',
  ],
];

/** Text that may quote a credential (an error message from anywhere): cut first, then scrubbed. */
export function scrubbed(text: string, max = LOG_LIMITS.message): string {
  let out = clip(text, max);
  for (const [pattern, replacement] of CREDENTIAL_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** At most this many stack frames of an unexpected error are logged. */
const STACK_FRAMES = 12;

/**
 * An unexpected error as log fields: its type, a bounded and scrubbed message, and the code locations of its stack
 * (the frames, never the message line again). Nothing of its `cause` or extra properties, which may carry request
 * data or credentials.
 */
export function errorSummary(error: unknown): {
  readonly type: string;
  readonly message: string;
  readonly stack?: string;
} {
  if (!(error instanceof Error))
    return { type: typeof error, message: typeof error === 'string' ? scrubbed(error) : typeof error };
  const frames = stackFrames(error);
  return {
    type: clip(error.name, LOG_LIMITS.label),
    message: scrubbed(error.message),
    ...(frames.length > 0 ? { stack: frames.map((frame) => clip(frame.trim(), 300)).join('\n') } : {}),
  };
}

/** The `at …` lines of a stack, found after the message (which may be megabytes of request data, newlines and all). */
function stackFrames(error: Error): string[] {
  const stack = typeof error.stack === 'string' ? error.stack : '';
  const head = error.message ? `${error.name}: ${error.message}` : error.name;
  const rest = stack.startsWith(head) ? stack.slice(head.length) : stack.slice(-16 * 1024);
  return rest
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, STACK_FRAMES);
}
