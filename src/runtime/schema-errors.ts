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
  const byPath = new Map<string, string[]>();
  for (const error of errors) {
    // `boolean` repeats each unknown key that `additionalProperties` already names; `anyOf` repeats its branches.
    if (error.keyword === 'boolean' || (error.keyword === 'anyOf' && error.instancePath !== '')) continue;
    const path = formatPath(error.instancePath);
    byPath.set(path, [...(byPath.get(path) ?? []), describe(error)]);
  }
  return [...byPath].map(([path, texts]) => {
    const unique = [...new Set(texts)];
    const merged = unique.every((text) => text.startsWith('must be '))
      ? `must be ${unique.map((text) => text.slice(8)).join(' or ')}`
      : unique.join('; ');
    return `${path} ${merged}`;
  });
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
  if (e.keyword === 'const') return `must be ${JSON.stringify((e.params as { allowedValue?: unknown }).allowedValue)}`;
  return e.message;
}
