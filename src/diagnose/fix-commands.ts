/**
 * The fix for one failing container as commands to paste, per cause. Every value from the cluster is shell-quoted
 * (shell-quote.ts); a value that cannot be quoted safely yields a problem instead of a command, never a command that
 * does something else.
 */
import type { FindingClass } from '../policy/finding-class.js';
import type { RuntimeFailureKind } from '../policy/runtime-message.js';
import type { ContainerFacts, Platform } from './container-facts.js';
import type { Reconciliation } from './reconcile.js';
import { patchPodSpec, say, type Built, type FixStep } from './fix-step.js';
import { pullSecretSteps } from './pull-secret-fix.js';
import { command, type UnsafeValue } from './shell-quote.js';
import { targetOf, type Target } from './workload-target.js';

export type { FixStep } from './fix-step.js';

export interface Fix {
  readonly steps: readonly FixStep[];
  /** Values that could not be put in a command safely; the step that needed them says so without a command. */
  readonly problems: readonly UnsafeValue[];
}

type Cause = FindingClass | RuntimeFailureKind;

/** The commands that fix what the reconciliation found; none when only the node can be fixed. */
export function fixCommands(container: ContainerFacts, reconciliation: Reconciliation): Fix {
  const target = targetOf(container.pod, container.owner);
  if (reconciliation.verdict === 'fixed-since') return collect([retryNow(container)]);
  if (reconciliation.verdict === 'node-side') {
    const credentials =
      reconciliation.node.kind === 'unauthorized' || reconciliation.finding?.class === 'nodeCredentials';
    return collect(credentials ? pullSecretSteps(container, target) : []);
  }
  const cause: Cause = reconciliation.finding?.class ?? reconciliation.node.kind;
  return collect(stepsFor(cause, container, target, reconciliation));
}

function stepsFor(cause: Cause, c: ContainerFacts, target: Target, r: Reconciliation): Built[] {
  switch (cause) {
    case 'notFound': {
      const closest = r.finding?.suggestions?.[0];
      if (closest === undefined) return [say('no closest tag is known: push the tag, or pick an existing one')];
      return [
        setImage(c, target, `${withoutTagOrDigest(c.image)}:${closest}`, `use the closest existing tag, ${closest}`),
      ];
    }
    case 'unauthorized':
    case 'missingPullSecret':
    case 'invalidPullSecret':
      return pullSecretSteps(c, target);
    case 'platformMismatch':
      return [platformSelector(c, target)];
    case 'pullPolicyNever':
      return [pullPolicy(c, target, 'IfNotPresent')];
    case 'rateLimited':
      return [
        ...(c.pullPolicy === 'Always' ? [pullPolicy(c, target, 'IfNotPresent')] : []),
        ...pullSecretSteps(c, target),
      ];
    case 'ambiguousShortName': {
      const canonical = r.finding?.canonical ?? c.canonical;
      if (canonical === undefined) return [say('write the image with its registry and repository in full')];
      return [setImage(c, target, canonical, 'write the image fully qualified, so no short-name lookup happens')];
    }
    default:
      return [];
  }
}

/** `kubectl delete pod`, so its controller makes a new one that pulls at once instead of after the back-off. */
function retryNow(c: ContainerFacts): Built {
  const text = command([
    'kubectl delete pod ',
    { value: c.pod, field: 'pod name', positional: true },
    ' -n ',
    { value: c.namespace, field: 'namespace', positional: true },
  ]);
  if (!text.ok) return text;
  const what =
    c.owner === undefined
      ? 'the pod has no controller: recreate it from its manifest after deleting it'
      : 'its controller creates a new pod that pulls at once';
  return { ok: true, step: { say: `retry now instead of waiting for the back-off (${what})`, command: text.text } };
}

function setImage(c: ContainerFacts, target: Target, image: string, why: string): Built {
  if (c.section === 'ephemeralContainers')
    return say(`${why}: an ephemeral container cannot be changed, add a new one`);
  if (target.kind === 'recreate') return say(`${why}: change the image in ${target.what}`);
  const resource = target.kind === 'pod' ? 'pod' : target.resource;
  const text = command([
    `kubectl set image ${resource}/`,
    { value: target.name, field: `${resource} name` },
    ' ',
    { value: `${c.container}=${image}`, field: 'container name and image', positional: true },
    ' -n ',
    { value: c.namespace, field: 'namespace', positional: true },
  ]);
  return text.ok ? { ok: true, step: { say: why, command: text.text } } : text;
}

function pullPolicy(c: ContainerFacts, target: Target, policy: string): Built {
  const why = `set imagePullPolicy of container ${c.container} to ${policy}`;
  if (c.section === 'ephemeralContainers') return say(`${why}: an ephemeral container cannot be changed`);
  return patchPodSpec(c, target, { [c.section]: [{ name: c.container, imagePullPolicy: policy }] }, why);
}

/** A nodeSelector for a platform the image offers, the node's operating system first. */
function platformSelector(c: ContainerFacts, target: Target): Built {
  const offered = c.imagePlatforms ?? [];
  const os = c.nodePlatform?.os ?? 'linux';
  const pick: Platform | undefined = offered.find((p) => p.os === os) ?? offered[0];
  if (pick === undefined)
    return say("the image has no variant for the node's platform: build one, or run it elsewhere");
  const selector = { 'kubernetes.io/os': pick.os, 'kubernetes.io/arch': pick.architecture };
  const why = `schedule the pod on ${pick.os}/${pick.architecture} nodes, a platform the image offers`;
  return patchPodSpec(c, target, { nodeSelector: selector }, why);
}

/** The image as written without its `:tag` and `@digest`: `ghcr.io/acme/app:1.2` → `ghcr.io/acme/app`. */
export function withoutTagOrDigest(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

function collect(built: readonly Built[]): Fix {
  const steps: FixStep[] = [];
  const problems: UnsafeValue[] = [];
  for (const b of built) {
    if (b.ok) steps.push(b.step);
    else {
      problems.push(b.unsafe);
      steps.push({ say: b.unsafe.detail });
    }
  }
  return { steps, problems };
}
