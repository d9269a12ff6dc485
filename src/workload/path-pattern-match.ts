/**
 * Finds the values a path pattern (custom-workload-kind.ts) reaches in a decoded object, each with its kubectl-style
 * field path (`spec.templates[2].container`). Pure; never throws on bad input.
 *
 * Decisions: an absent or null field or list ends that branch with no match (an Argo template without `script` is
 * normal); a value of the wrong shape on the way (a string where an object or a list must be) is a problem, named
 * by its path, as the API server would reject it.
 */
import type { PathPattern } from './custom-workload-kind.js';
import { isRecord } from '../runtime/json-shape.js';

export interface PatternMatch {
  readonly path: string;
  readonly value: unknown;
}

export type MatchResult =
  { readonly ok: true; readonly matches: readonly PatternMatch[] } | { readonly ok: false; readonly problem: string };

/** Every non-null value that `pattern` reaches from `root`, in document order. */
export function matchPathPattern(root: unknown, pattern: PathPattern): MatchResult {
  let frontier: PatternMatch[] = [{ path: '', value: root }];
  for (const segment of pattern) {
    const next: PatternMatch[] = [];
    for (const { path, value } of frontier) {
      if (segment === '*') {
        if (!Array.isArray(value)) return { ok: false, problem: `${path} must be a list` };
        value.forEach((item: unknown, index) => {
          if (item !== undefined && item !== null) next.push({ path: `${path}[${index}]`, value: item });
        });
        continue;
      }
      if (!isRecord(value)) return { ok: false, problem: `${path} must be an object` };
      const child = Object.hasOwn(value, segment) ? value[segment] : undefined;
      if (child !== undefined && child !== null)
        next.push({ path: path ? `${path}.${segment}` : segment, value: child });
    }
    frontier = next;
  }
  return { ok: true, matches: Object.freeze(frontier) };
}
