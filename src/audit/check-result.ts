/**
 * What one review of a check's image means for a pull: the image is `unavailable` when the review found something a
 * pull fails on, `error` when it could not tell (the registry did not answer, or the check ran out of time),
 * `skipped` when pullguard does not check the image at all, else `available`. Independent of `policy:`: a relaxed
 * policy admits a missing tag, but the pull still fails. Pure.
 */
import type { FindingClass } from '../policy/finding-class.js';
import type { Finding } from '../policy/finding.js';
import type { CheckResult } from './audit-state.js';

/** The classes of findings a pull fails on (docs/design.md §2.1). */
export const PULL_FAILS_ON: ReadonlySet<FindingClass> = new Set<FindingClass>([
  'notFound',
  'unauthorized',
  'invalidReference',
  'platformMismatch',
  'invalidPullSecret',
  'blockedRegistry',
  'ambiguousShortName',
  'missingServiceAccountAnnotation',
]);

/** The classes that say the registry could not be asked this time. */
export const TRANSIENT: ReadonlySet<FindingClass> = new Set<FindingClass>(['unreachable', 'timeout', 'rateLimited']);

/** The review of one check, in the audit's terms (the CLI's adapter reads it off the reviewer's outcome). */
export type ReviewedCheck =
  /** The reviewer did not check it: the namespace's mode is `off`, or the object is not one it reads. */
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'invalid'; readonly problem: string }
  | {
      readonly status: 'reviewed';
      /** Every finding about the check's image use (pod-level ones too), advice included. */
      readonly findings: readonly Finding[];
      /** Why the registry was not asked, when it was not: `exempt`, `pullPolicyNever`, `invalid`, `offline`. */
      readonly notAsked?: string;
    };

export interface ReviewFacts {
  /** The check's own budget ran out, or the run was stopped. */
  readonly outOfTime: boolean;
  /** What to say then, when no finding says more: `the check ran out of its 20s budget`. */
  readonly outOfTimeMessage?: string;
  /** The whole run was stopped (Ctrl-C, shutdown): what the review found on the way out is not an answer. */
  readonly stopped?: boolean;
}

export function checkResultOf(review: ReviewedCheck, facts: ReviewFacts): CheckResult {
  if (review.status === 'skipped') return { outcome: 'skipped', reason: review.reason };
  if (review.status === 'invalid')
    return { outcome: 'unavailable', class: 'invalidReference', message: review.problem };
  const failing = review.findings.find((finding) => PULL_FAILS_ON.has(finding.class));
  if (failing !== undefined) return { outcome: 'unavailable', class: failing.class, message: failing.cause };
  if (facts.stopped === true) return { outcome: 'error', message: 'the scan was stopped before the check finished' };
  const transient = review.findings.find((finding) => TRANSIENT.has(finding.class));
  if (transient !== undefined) return { outcome: 'error', message: transient.cause };
  if (facts.outOfTime) return { outcome: 'error', message: facts.outOfTimeMessage ?? 'the check ran out of time' };
  if (review.notAsked === 'exempt') return { outcome: 'skipped', reason: 'the image is exempt (exempt.images)' };
  if (review.notAsked === 'pullPolicyNever')
    return { outcome: 'skipped', reason: 'imagePullPolicy is Never: the kubelet never pulls it' };
  if (review.notAsked === 'offline') return { outcome: 'error', message: 'the registry was not asked (offline)' };
  return { outcome: 'available' };
}
