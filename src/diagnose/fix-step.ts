/**
 * One step of a fix and the builders the cause-specific steps share: a step is words and, when there is one, a
 * command whose every cluster value is shell-quoted (shell-quote.ts).
 */
import type { ContainerFacts } from './container-facts.js';
import { command, type UnsafeValue } from './shell-quote.js';
import { atPodSpec, type Target } from './workload-target.js';

export interface FixStep {
  /** What the step does, in words. */
  readonly say: string;
  /** The command to paste, when there is one. */
  readonly command?: string;
}

/** A step builder's answer: the step, or the value that stopped it. */
export type Built =
  { readonly ok: true; readonly step: FixStep } | { readonly ok: false; readonly unsafe: UnsafeValue };

/** A strategic merge patch of the target's pod spec; a bare Pod cannot take one and must be recreated. */
export function patchPodSpec(c: ContainerFacts, target: Target, body: unknown, why: string): Built {
  if (target.kind === 'pod') return say(`${why}: a Pod cannot change this in place; recreate pod ${c.pod} with it`);
  if (target.kind === 'recreate') return say(`${why}: change it in ${target.what}`);
  const text = command([
    `kubectl patch ${target.resource} `,
    { value: target.name, field: `${target.resource} name`, positional: true },
    ' -n ',
    { value: c.namespace, field: 'namespace', positional: true },
    ' -p ',
    { value: JSON.stringify(atPodSpec(target.specPath, body)), field: 'patch' },
  ]);
  return text.ok ? { ok: true, step: { say: why, command: text.text } } : text;
}

export function say(text: string): Built {
  return { ok: true, step: { say: text } };
}
