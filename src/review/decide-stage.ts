/**
 * The decide stage: findings → verdict under the mode. `mode: warn` (global) or the namespace label
 * `pullguard.io/mode=warn` turns every deny into a warning; `off` never gets here (the review is skipped).
 *
 * When the label could not be read (the Kubernetes API failed or did not answer within the review's deadline),
 * pullguard cannot tell whether the namespace is one an admin put in warn mode to roll out. pullguard is fail-open
 * (infrastructure problems warn, never deny), so an unknown mode softens denials like `warn` does, and one extra
 * warning says why. The same happens whenever the label is unknown, so the verdict never depends on timing.
 */
import { decide, type Decision, type Mode } from '../policy/decide.js';
import type { Policy } from '../policy/finding-class.js';
import type { DecidedFinding, Finding } from '../policy/finding.js';
import type { ModeRead } from './namespace-mode-read.js';

export interface DecideInput {
  readonly findings: readonly Finding[];
  readonly policy: Policy;
  /** The configured `mode`. */
  readonly globalMode: Mode;
  /** The namespace label, when it was read (undefined: no label reader, or nothing needed it). */
  readonly namespaceMode: ModeRead | undefined;
  readonly namespace: string;
}

export function decideStage(input: DecideInput): Decision {
  const { namespaceMode: read } = input;
  if (input.globalMode === 'warn') return decide(input.findings, input.policy, 'warn');
  if (read === undefined) return decide(input.findings, input.policy, 'enforce');
  if (read.known) return decide(input.findings, input.policy, read.mode === 'warn' ? 'warn' : 'enforce');
  const decision = decide(input.findings, input.policy, 'warn');
  if (!decision.findings.some((f) => f.softened)) return decision;
  return { verdict: decision.verdict, findings: [unknownModeNote(read.why, input.namespace), ...decision.findings] };
}

/** Always a warning, whatever the policy of its class: it explains the softened denials after it. */
function unknownModeNote(why: 'timeout' | 'failed', namespace: string): DecidedFinding {
  const reason = why === 'timeout' ? 'timed out' : 'failed';
  return {
    class: why === 'timeout' ? 'timeout' : 'unreachable',
    subject: `namespace ${namespace}`,
    cause: `reading the namespace's pullguard.io/mode label ${reason}, so pullguard cannot tell whether the namespace is in warn mode; the denials are reported as warnings.`,
    short: `reading its pullguard.io/mode label ${reason}; would-be denials admitted as warnings`,
    verdict: 'warn',
  };
}
