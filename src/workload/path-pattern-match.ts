/**
 * Finds the values a field path (runtime/field-path.ts) reaches in a decoded object, each with its kubectl-style
 * path (`spec.templates[2].container`, `spec.pytorchReplicaSpecs.Worker.template.spec`). Pure; never throws on bad
 * input.
 *
 * Decisions: an absent or null field, list item or map value ends that branch with no match (an Argo template
 * without `script` is normal); a value of the wrong shape on the way (a string where an object, a list or a map must
 * be) is a problem, named by its path, as the API server would reject it.
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
      if (segment.kind === 'eachElement') {
        if (!Array.isArray(value)) return { ok: false, problem: `${path} must be a list` };
        value.forEach((item: unknown, index) => {
          if (item !== undefined && item !== null) next.push({ path: `${path}[${index}]`, value: item });
        });
        continue;
      }
      if (!isRecord(value))
        return { ok: false, problem: `${path} must be ${segment.kind === 'eachValue' ? 'a map' : 'an object'}` };
      const entries =
        segment.kind === 'eachValue' ? Object.entries(value) : [[segment.name, ownField(value, segment.name)] as const];
      for (const [name, child] of entries) {
        if (child !== undefined && child !== null) next.push({ path: path ? `${path}.${name}` : name, value: child });
      }
    }
    frontier = next;
  }
  return { ok: true, matches: Object.freeze(frontier) };
}

function ownField(record: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}
