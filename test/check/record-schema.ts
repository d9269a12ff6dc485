/**
 * The `pullguard check -o json` record (docs/design.md §4.2), as a TypeBox schema of its own, so tests check the output
 * against the contract rather than against the code's own type.
 */
import type { Test } from 'tap';
import Type, { type Static } from 'typebox';
import { Value } from 'typebox/value';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const FindingClassSchema = Type.Union(
  [
    'notFound',
    'unauthorized',
    'invalidReference',
    'platformMismatch',
    'unreachable',
    'timeout',
    'rateLimited',
    'missingPullSecret',
    'invalidPullSecret',
    'latestTag',
    'pullPolicyNever',
    'nodeCredentials',
    'platformPartial',
    'blockedRegistry',
    'ambiguousShortName',
    'missingServiceAccountAnnotation',
    'nodeLocal',
  ].map((c) => Type.Literal(c)),
);
const VerdictSchema = Type.Union([Type.Literal('deny'), Type.Literal('warn'), Type.Literal('allow')]);
const ObjectSchema = Type.Object(
  { kind: Type.String({ minLength: 1 }), namespace: Type.String({ minLength: 1 }), name: Type.String() },
  { additionalProperties: false },
);

export const CheckRecordSchema = Type.Object(
  {
    record: Type.Union([Type.Literal('use'), Type.Literal('pod')]),
    file: Type.String({ minLength: 1 }),
    line: Type.Integer({ minimum: 1 }),
    object: ObjectSchema,
    container: Nullable(Type.String()),
    path: Nullable(Type.String({ minLength: 1 })),
    image: Nullable(Type.String()),
    reference: Nullable(Type.String({ minLength: 1 })),
    outcome: Type.Union(
      [
        'found',
        'not-found',
        'unauthorized',
        'rate-limited',
        'unreachable',
        'timeout',
        'blocked',
        'invalid',
        'not-checked',
      ].map((o) => Type.Literal(o)),
    ),
    class: Nullable(FindingClassSchema),
    verdict: VerdictSchema,
    message: Nullable(Type.String({ minLength: 1 })),
    findings: Type.Array(
      Type.Object(
        {
          class: FindingClassSchema,
          verdict: VerdictSchema,
          message: Type.String({ minLength: 1 }),
          nodeError: Type.Optional(
            Type.String({ pattern: '^Node error \\((containerd|cri-o|containerd, assumed|kubelet)\\): ' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    digest: Type.Optional(Type.String({ pattern: '^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$' })),
    foundOn: Type.Optional(Type.String({ minLength: 1 })),
    subject: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export type CheckRecordJson = Static<typeof CheckRecordSchema>;

/** An input, document or object that could not be read or checked. */
export const ErrorRecordSchema = Type.Object(
  {
    record: Type.Literal('error'),
    file: Type.String({ minLength: 1 }),
    line: Nullable(Type.Integer({ minimum: 1 })),
    column: Nullable(Type.Integer({ minimum: 1 })),
    object: Nullable(ObjectSchema),
    code: Nullable(Type.String({ pattern: '^PG_[A-Z_]+$' })),
    message: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

/** An object not checked, and why. */
export const SkipRecordSchema = Type.Object(
  {
    record: Type.Literal('skip'),
    file: Type.String({ minLength: 1 }),
    line: Type.Integer({ minimum: 1 }),
    object: Nullable(ObjectSchema),
    message: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

export type OutputRecordJson = CheckRecordJson | Static<typeof ErrorRecordSchema> | Static<typeof SkipRecordSchema>;

/** Parses stdout of `-o json` and checks it is one array of valid records; returns the image-use and pod records. */
export function parseRecords(t: Test, stdout: string): CheckRecordJson[] {
  return parseAllRecords(t, stdout).filter((r): r is CheckRecordJson => r.record === 'use' || r.record === 'pod');
}

/** Parses stdout of `-o json` and checks it is one array of valid records of every kind; returns them typed. */
export function parseAllRecords(t: Test, stdout: string): OutputRecordJson[] {
  const parsed: unknown = JSON.parse(stdout);
  if (!Array.isArray(parsed)) {
    t.fail('stdout is one JSON array');
    return [];
  }
  const records: OutputRecordJson[] = [];
  parsed.forEach((record, i) => {
    if (Value.Check(ErrorRecordSchema, record) || Value.Check(SkipRecordSchema, record)) {
      records.push(record);
    } else if (Value.Check(CheckRecordSchema, record)) {
      records.push(record);
      if (record.findings[0] && record.findings[0].message !== record.message)
        t.fail(`record ${i}: message repeats the first finding`);
      if ((record.findings.length === 0) !== (record.class === null))
        t.fail(`record ${i}: a class exactly when there are findings`);
      // The fields move together: a class has a message, a reference has no "invalid" outcome, only found has a digest.
      if ((record.class === null) !== (record.message === null))
        t.fail(`record ${i}: class and message are both set or both null`);
      if (record.digest !== undefined && record.outcome !== 'found') t.fail(`record ${i}: digest only when found`);
      if (record.outcome === 'invalid' && record.reference !== null)
        t.fail(`record ${i}: an invalid reference has reference null`);
      if (record.container === null && record.subject === undefined)
        t.fail(`record ${i}: a pod-level record names its subject`);
    } else {
      t.fail(`record ${i} matches the schema`, {
        errors: [...Value.Errors(CheckRecordSchema, record)].slice(0, 3),
        record,
      });
    }
  });
  return records;
}
