/**
 * The closed set of finding classes (docs/design.md §2.1) and what each one does by default.
 * Every user-facing config key under `policy:` is one of these names.
 */
export const FINDING_CLASSES = [
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
] as const;

export type FindingClass = (typeof FINDING_CLASSES)[number];

export const VERDICTS = ['deny', 'warn', 'allow'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const DEFAULT_POLICY = {
  notFound: 'deny',
  unauthorized: 'deny',
  invalidReference: 'deny',
  platformMismatch: 'deny',
  unreachable: 'warn',
  timeout: 'warn',
  rateLimited: 'warn',
  missingPullSecret: 'warn',
  invalidPullSecret: 'deny',
  latestTag: 'warn',
  pullPolicyNever: 'warn',
  nodeCredentials: 'warn',
  platformPartial: 'warn',
  blockedRegistry: 'deny',
  ambiguousShortName: 'deny',
  missingServiceAccountAnnotation: 'deny',
  nodeLocal: 'warn',
} as const satisfies Record<FindingClass, Verdict>;

export type Policy = Readonly<Record<FindingClass, Verdict>>;
