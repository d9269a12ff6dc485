/**
 * The checks that need no network (docs/design.md §1.2, §2.1): the reference grammar, `:latest`, `imagePullPolicy:
 * Never`, and exempt images. Pure.
 */
import { canonicalReference, parseImageReference, type ImageReference } from '../image/reference.js';
import type { ImageUse } from '../workload/image-use.js';
import type { Finding } from './finding.js';
import { compileGlob, type GlobMatcher } from '../runtime/glob.js';

export interface StaticCheck {
  readonly use: ImageUse;
  /** Present when the reference parsed. */
  readonly parsed?: ImageReference;
  readonly reference?: string;
  readonly findings: readonly Finding[];
  /** Why the registry must not be asked about this use. */
  readonly skipRegistry?: 'invalid' | 'exempt' | 'pullPolicyNever';
}

export type ExemptMatcher = (canonical: string) => boolean;

export function exemptMatcher(globs: readonly string[]): ExemptMatcher {
  const matchers: GlobMatcher[] = globs.map(compileGlob);
  return (canonical) => matchers.some((match) => match(canonical));
}

export function staticCheck(use: ImageUse, isExempt: ExemptMatcher): StaticCheck {
  const parsed = parseImageReference(use.image);
  if (!parsed.ok) {
    return {
      use,
      findings: [
        {
          class: 'invalidReference',
          outcome: 'invalid',
          use,
          cause: `not a valid image reference (${parsed.reason}); the kubelet would fail with InvalidImageName.`,
          fix: 'Fix: write the image as [registry/]repository[:tag][@digest], lowercase, with no scheme or spaces.',
          short: `${JSON.stringify(use.image)} is not a valid image reference: ${parsed.reason}`,
        },
      ],
      skipRegistry: 'invalid',
    };
  }
  const ref = parsed.reference;
  const reference = canonicalReference(ref);
  if (isExempt(reference)) return { use, parsed: ref, reference, findings: [], skipRegistry: 'exempt' };
  const findings: Finding[] = [];
  if (!ref.digest && (ref.tag === undefined || ref.tag === 'latest')) {
    const written = ref.tag === undefined ? `${JSON.stringify(use.image)} has no tag and pulls :latest` : `${JSON.stringify(use.image)} uses :latest`;
    findings.push({
      class: 'latestTag',
      use,
      reference,
      cause: `${written}: nodes may run different images, and rollbacks cannot restore the old one.`,
      fix: 'Fix: pin a version tag or a digest.',
      short: `${written}; pin a version tag or a digest`,
    });
  }
  if (use.pullPolicy === 'Never') {
    findings.push({
      class: 'pullPolicyNever',
      use,
      reference,
      cause: 'imagePullPolicy is Never: only an image already on the node can run; the registry is not checked.',
      short: 'imagePullPolicy Never: runs only if the image is already on the node; registry not checked',
    });
    return { use, parsed: ref, reference, findings, skipRegistry: 'pullPolicyNever' };
  }
  return { use, parsed: ref, reference, findings };
}
