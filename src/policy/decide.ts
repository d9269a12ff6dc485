/**
 * The one pure function that turns findings into a verdict: class → verdict from the policy, then the mode.
 * `mode: warn` (global, or the namespace label pullguard.io/mode=warn) turns every deny into a warning.
 */
import type { Verdict, Policy } from './finding-class.js';
import type { DecidedFinding, Finding } from './finding.js';

export type Mode = 'enforce' | 'warn';

/** A review's verdict and the findings behind it, each with its own verdict. */
export interface Decision {
  readonly verdict: Verdict;
  readonly findings: readonly DecidedFinding[];
}

export function decide(findings: readonly Finding[], policy: Policy, mode: Mode): Decision {
  const decided = findings.map((finding): DecidedFinding => {
    const verdict = policy[finding.class];
    if (verdict === 'deny' && mode === 'warn') return { ...finding, verdict: 'warn', softened: true };
    return { ...finding, verdict };
  });
  const verdict: Verdict = decided.some((f) => f.verdict === 'deny')
    ? 'deny'
    : decided.some((f) => f.verdict === 'warn')
      ? 'warn'
      : 'allow';
  return { verdict, findings: decided };
}
