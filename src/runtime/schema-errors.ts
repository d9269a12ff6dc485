/**
 * TypeBox validation errors as one line per field, for the places that report every problem at once (the config
 * file, an AdmissionReview): `<path> must be "CREATE" or "UPDATE"` rather than one error per union branch.
 */
export interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message: string;
  readonly params: unknown;
}

/** One problem per field path (`formatPath` turns the JSON pointer into what users read). */
export function mergedSchemaProblems(errors: Iterable<SchemaError>, formatPath: (pointer: string) => string): string[] {
  const byPath = new Map<string, SchemaError[]>();
  for (const error of errors) {
    // `boolean` repeats each unknown key that `additionalProperties` already names; `anyOf` repeats its branches.
    if (error.keyword === 'boolean' || (error.keyword === 'anyOf' && error.instancePath !== '')) continue;
    const path = formatPath(error.instancePath);
    byPath.set(path, [...(byPath.get(path) ?? []), error]);
  }
  return [...byPath].map(([path, list]) => {
    // A union of literals says `must be string` once per literal: `must be "enforce" or "warn"` already says it.
    const constTypes = new Set<unknown>(list.filter((e) => e.keyword === 'const').map((e) => typeof allowedValue(e)));
    const kept = list.filter((e) => e.keyword !== 'type' || !constTypes.has(typeParam(e)));
    const unique = [...new Set(kept.map(describe))];
    const merged = unique.every((text) => text.startsWith('must be '))
      ? `must be ${unique.map((text) => text.slice(8)).join(' or ')}`
      : unique.join('; ');
    return `${path} ${merged}`;
  });
}

function allowedValue(e: SchemaError): unknown {
  return (e.params as { allowedValue?: unknown }).allowedValue;
}

function typeParam(e: SchemaError): unknown {
  return (e.params as { type?: unknown }).type;
}

/** RFC 6901 JSON pointer → its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function describe(e: SchemaError): string {
  if (e.keyword === 'additionalProperties') {
    const names = (e.params as { additionalProperties?: string[] }).additionalProperties ?? [];
    return `has unknown key${names.length > 1 ? 's' : ''} ${names.map((n) => `"${n}"`).join(', ')}`;
  }
  if (e.keyword === 'const') return `must be ${JSON.stringify(allowedValue(e))}`;
  return e.message;
}
