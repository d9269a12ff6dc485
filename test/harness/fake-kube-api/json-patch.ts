/**
 * JSON Patch (https://www.rfc-editor.org/rfc/rfc6902) as the fake API applies it: `add`, `replace`, `remove` and
 * `test`, with JSON Pointer paths (https://www.rfc-editor.org/rfc/rfc6901). A patch applies entirely or not at all:
 * the first operation that fails (a `test` whose value differs, a path that does not exist) fails the whole patch,
 * and the API server then answers 422 (`applyJSPatch` in
 * https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go).
 */
import { isDeepStrictEqual } from 'node:util';

/** The patched document, or why the patch is malformed (400) or cannot apply (422). */
export type JsonPatchResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly status: 400 | 422; readonly reason: string };

/** Applies `patch` to a copy of `document`; the input is never changed. */
export function applyJsonPatch(document: unknown, patch: unknown): JsonPatchResult {
  if (!Array.isArray(patch)) return { ok: false, status: 400, reason: 'a JSON patch is an array of operations' };
  let value: unknown = structuredClone(document);
  for (const [index, operation] of patch.entries()) {
    if (!isObject(operation) || typeof operation['op'] !== 'string' || typeof operation['path'] !== 'string')
      return { ok: false, status: 400, reason: `operation ${index} needs "op" and "path"` };
    const tokens = pointer(operation['path']);
    if (tokens === undefined) return { ok: false, status: 400, reason: `operation ${index}: bad path` };
    const op = operation['op'];
    if ((op === 'add' || op === 'replace' || op === 'test') && !('value' in operation))
      return { ok: false, status: 400, reason: `operation ${index} (${op}) needs "value"` };
    const step = apply(value, op, tokens, operation['value']);
    if (typeof step === 'string') return { ok: false, status: step === 'unknown op' ? 400 : 422, reason: step };
    value = step.value;
  }
  return { ok: true, value };
}

function apply(root: unknown, op: string, tokens: readonly string[], value: unknown): { value: unknown } | string {
  if (tokens.length === 0) {
    if (op === 'test') return isDeepStrictEqual(root, value) ? { value: root } : 'test failed';
    if (op === 'add' || op === 'replace') return { value: structuredClone(value) };
    return op === 'remove' ? 'cannot remove the whole document' : 'unknown op';
  }
  const parent = resolve(root, tokens.slice(0, -1));
  const last = tokens.at(-1) ?? '';
  if (parent === undefined) return `path /${tokens.join('/')} does not exist`;
  if (Array.isArray(parent)) {
    const index = last === '-' && op === 'add' ? parent.length : /^(0|[1-9]\d*)$/.test(last) ? Number(last) : -1;
    const limit = op === 'add' ? parent.length : parent.length - 1;
    if (index < 0 || index > limit) return `index ${last} is out of range`;
    if (op === 'test') return isDeepStrictEqual(parent[index], value) ? { value: root } : 'test failed';
    if (op === 'add') parent.splice(index, 0, structuredClone(value));
    else if (op === 'replace') parent[index] = structuredClone(value);
    else if (op === 'remove') parent.splice(index, 1);
    else return 'unknown op';
    return { value: root };
  }
  if (!isObject(parent)) return `path /${tokens.join('/')} does not exist`;
  const present = Object.hasOwn(parent, last);
  if (op !== 'add' && !present) return `path /${tokens.join('/')} does not exist`;
  if (op === 'test') return isDeepStrictEqual(parent[last], value) ? { value: root } : 'test failed';
  if (op === 'add' || op === 'replace') parent[last] = structuredClone(value);
  else if (op === 'remove') delete parent[last];
  else return 'unknown op';
  return { value: root };
}

function resolve(root: unknown, tokens: readonly string[]): unknown {
  let current = root;
  for (const token of tokens) {
    if (Array.isArray(current)) current = /^(0|[1-9]\d*)$/.test(token) ? current[Number(token)] : undefined;
    else if (isObject(current) && Object.hasOwn(current, token)) current = current[token];
    else return undefined;
  }
  return current;
}

/** The reference tokens of a JSON Pointer (`~1` is `/`, `~0` is `~`); undefined when it does not start with `/`. */
function pointer(path: string): string[] | undefined {
  if (path === '') return [];
  if (!path.startsWith('/')) return undefined;
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
