/**
 * What a list request asks for, as the API server reads it: `fieldSelector` and `labelSelector` equality terms
 * (`a=b`, `a==b`, `a!=b`, comma-separated; `\,` `\=` `\\` escapes in field values), and `limit` / `continue` paging
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks).
 */

interface Term {
  readonly key: string;
  readonly value: string;
  readonly negated: boolean;
}

export interface ListQuery {
  readonly fields: readonly Term[];
  readonly labels: readonly Term[];
  readonly limit?: number;
  /** Index of the first item to answer. */
  readonly start: number;
}

/** The query, or the reason it is a bad request (the server answers 400). */
export function readListQuery(params: URLSearchParams): ListQuery | { readonly problem: string } {
  const fields = terms(params.get('fieldSelector') ?? '');
  const labels = terms(params.get('labelSelector') ?? '');
  if (typeof fields === 'string') return { problem: `invalid field selector: ${fields}` };
  if (typeof labels === 'string') return { problem: `invalid label selector: ${labels}` };
  const limitText = params.get('limit');
  const limit = limitText === null || limitText === '0' ? undefined : Number(limitText);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) return { problem: 'invalid limit' };
  const token = params.get('continue');
  const start = token === null || token === '' ? 0 : startOf(token);
  if (start === undefined) return { problem: 'invalid continue token' };
  return { fields, labels, start, ...(limit !== undefined ? { limit } : {}) };
}

/** The token for a page that starts at `index`. */
export function continueToken(index: number): string {
  return Buffer.from(JSON.stringify({ start: index })).toString('base64url');
}

function startOf(token: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const start = (parsed as { start?: unknown }).start;
    return typeof start === 'number' && Number.isInteger(start) && start >= 0 ? start : undefined;
  } catch {
    return undefined;
  }
}

export function matches(query: ListQuery, object: object): boolean {
  const labels = (object as { metadata?: { labels?: Record<string, string> } }).metadata?.labels ?? {};
  return (
    query.fields.every((term) => (fieldValue(object, term.key) === term.value) !== term.negated) &&
    query.labels.every((term) => ((labels[term.key] ?? '') === term.value) !== term.negated)
  );
}

/** A dotted path's value as the API server compares it: a string, or '' when absent. */
function fieldValue(object: object, dotted: string): string {
  let current: unknown = object;
  for (const part of dotted.split('.')) {
    current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[part] : undefined;
  }
  return typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean'
    ? String(current)
    : '';
}

function terms(selector: string): Term[] | string {
  const out: Term[] = [];
  for (const raw of splitUnescaped(selector, ',')) {
    if (raw === '') continue;
    const match = /^([^=!]+?)\s*(==|!=|=)\s*(.*)$/.exec(raw);
    if (match === null) return `"${raw}" is not an equality term`;
    const [, key = '', op, value = ''] = match;
    out.push({ key: key.trim(), value: value.replace(/\\(.)/g, '$1'), negated: op === '!=' });
  }
  return out;
}

function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (char === '\\' && i + 1 < text.length) {
      current += char + (text[i + 1] ?? '');
      i++;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}
