/**
 * Field paths that may fan out, as the `workloads:` config key writes them (docs/design.md §3.1):
 * `spec.replicatedJobs[*].template.spec` (every element of a list) or `spec.pytorchReplicaSpecs.*.template.spec`
 * (every value of a map, as in Kubeflow's replica specs). Pure text rules; walking an object is the workload layer's.
 */

/** A field name, `[*]` (each list element) or `*` (each map value). */
export type FieldPathSegment =
  { readonly kind: 'field'; readonly name: string } | { readonly kind: 'eachElement' } | { readonly kind: 'eachValue' };

export type FieldPathResult =
  | { readonly ok: true; readonly segments: readonly FieldPathSegment[] }
  | { readonly ok: false; readonly problem: string };

/** A JSON field name as Kubernetes APIs spell them: letters, digits, `_` and `-`, not starting with a digit or `-`. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const EACH_ELEMENT = '[*]';

/** Parses `text`; a problem reads after the quoted path (e.g. `"spec..x" has an empty field name`). */
export function parseFieldPath(text: string): FieldPathResult {
  if (text === '') return { ok: false, problem: 'is empty' };
  const segments: FieldPathSegment[] = [];
  for (const part of text.split('.')) {
    if (part === '*') {
      if (segments.length === 0) return { ok: false, problem: 'must start with a field name' };
      segments.push(Object.freeze({ kind: 'eachValue' as const }));
      continue;
    }
    let name = part;
    let lists = 0;
    while (name.endsWith(EACH_ELEMENT)) {
      name = name.slice(0, -EACH_ELEMENT.length);
      lists += 1;
    }
    if (name === '') return { ok: false, problem: 'has an empty field name' };
    if (!FIELD_NAME.test(name)) {
      return { ok: false, problem: `has ${JSON.stringify(part)}: a field name, name[*] or * is expected` };
    }
    segments.push(Object.freeze({ kind: 'field' as const, name }));
    for (let i = 0; i < lists; i++) segments.push(Object.freeze({ kind: 'eachElement' as const }));
  }
  return { ok: true, segments: Object.freeze(segments) };
}

/** The text form of `segments`, as a user writes it: parseFieldPath(formatFieldPath(s)) gives `s` back. */
export function formatFieldPath(segments: readonly FieldPathSegment[]): string {
  let text = '';
  for (const segment of segments) {
    if (segment.kind === 'eachElement') text += EACH_ELEMENT;
    else text += `${text === '' ? '' : '.'}${segment.kind === 'field' ? segment.name : '*'}`;
  }
  return text;
}
