/**
 * Turns TypeBox validation errors into one sentence with a kubectl-style field path, e.g.
 * `spec.template.spec.containers[0].image must be a string`, so a developer finds the field in their manifest.
 */
import type { TLocalizedValidationError } from 'typebox/error';
import { pointerSegments } from '../runtime/schema-errors.js';

const ARTICLE_BY_TYPE: Readonly<Record<string, string>> = {
  array: 'an array',
  object: 'an object',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
};

export interface SchemaProblemInput {
  readonly errors: readonly TLocalizedValidationError[];
  /** The validated value, walked to tell list indexes from map keys. */
  readonly value: unknown;
  /** kubectl-style path of `value` itself, e.g. `spec.template.spec`. */
  readonly basePath: string;
}

/**
 * The most useful single problem among `errors` : the deepest one, ignoring the
 * "or null" branch and the anyOf summaries that nullable fields produce.
 */
export function describeSchemaProblem(input: SchemaProblemInput): string {
  const { errors, value, basePath } = input;
  let best: TLocalizedValidationError | undefined;
  let bestDepth = -1;
  for (const error of errors) {
    if (error.keyword === 'anyOf' || isNullBranch(error)) continue;
    const depth = error.instancePath.split('/').length;
    if (depth > bestDepth) [best, bestDepth] = [error, depth];
  }
  if (best === undefined) return `${basePath} is not a valid pod spec`;
  const segments = pointerSegments(best.instancePath);
  if (best.keyword === 'required') {
    const missing = best.params.requiredProperties[0] ?? '';
    return `${fieldPath(basePath, value, [...segments, missing])} is required`;
  }
  const where = fieldPath(basePath, value, segments);
  if (best.keyword === 'type') {
    const expected = Array.isArray(best.params.type) ? best.params.type[0] : best.params.type;
    return `${where} must be ${ARTICLE_BY_TYPE[expected ?? ''] ?? expected}`;
  }
  return `${where} ${best.message}`;
}

function isNullBranch(error: TLocalizedValidationError): boolean {
  return error.keyword === 'type' && error.params.type === 'null';
}

/** Walks `value` along `segments`, writing `[i]` for list indexes and `.name` (or `["a/b"]`) for map keys. */
function fieldPath(basePath: string, value: unknown, segments: readonly string[]): string {
  let path = basePath;
  let current = value;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      path += `[${segment}]`;
      current = current[Number(segment)];
    } else {
      path += /^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
      current = typeof current === 'object' && current !== null ? Reflect.get(current, segment) : undefined;
    }
  }
  return path;
}
