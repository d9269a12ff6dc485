/**
 * The one pure function that turns findings into a verdict: class → action from the policy, then the mode.
 * `mode: warn` (global, or the namespace label pullguard.io/mode=warn) turns every deny into a warning.
 */
import type { Action, Policy } from './finding-class.js';
import type { DecidedFinding, Finding } from './finding.js';

export type Mode = 'enforce' | 'warn';

export interface Decision {
  readonly decision: Action;
  readonly findings: readonly DecidedFinding[];
}

export function decide(findings: readonly Finding[], policy: Policy, mode: Mode): Decision {
  const decided = findings.map((finding): DecidedFinding => {
    const action = policy[finding.class];
    if (action === 'deny' && mode === 'warn') return { ...finding, action: 'warn', softened: true };
    return { ...finding, action };
  });
  const decision: Action = decided.some((f) => f.action === 'deny')
    ? 'deny'
    : decided.some((f) => f.action === 'warn')
      ? 'warn'
      : 'allow';
  return { decision, findings: decided };
}
