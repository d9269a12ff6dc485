/**
 * The checks that need no network (docs/design.md §1.2, §2.1): the reference grammar, `:latest`, `imagePullPolicy:
 * Never`, and exempt images. Pure.
 */
import { canonicalReference, parseImageReference, type ImageReference } from '../image/reference.js';
import type { ImageUse } from '../workload/image-use.js';
import type { Finding } from './finding.js';
import { compileGlob, type GlobMatcher } from '../runtime/glob.js';

/** The static check of one image use: parsed (the registry may be asked) or not. */
export type StaticCheck = ParsedCheck | UnparsedCheck;

/** The image parsed into an image reference. */
export interface ParsedCheck {
  readonly use: ImageUse;
  readonly reference: ImageReference;
  /** The canonical reference, as `canonicalReference()` writes it: `docker.io/library/nginx:1.29`. */
  readonly canonical: string;
  readonly findings: readonly Finding[];
  /** Why the registry must not be asked about this use. */
  readonly skipRegistry?: 'exempt' | 'pullPolicyNever';
}

/** The image did not parse (`invalid`), or its check failed unexpectedly (no skip reason): never resolved. */
export interface UnparsedCheck {
  readonly use: ImageUse;
  readonly reference?: undefined;
  readonly canonical?: undefined;
  readonly findings: readonly Finding[];
  readonly skipRegistry?: 'invalid';
}

/** A check the registry must answer: parsed and not skipped. */
export type RegistryCheck = ParsedCheck & { readonly skipRegistry?: undefined };

export function isRegistryCheck(check: StaticCheck): check is RegistryCheck {
  return check.reference !== undefined && check.skipRegistry === undefined;
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
  const { reference } = parsed;
  const canonical = canonicalReference(reference);
  if (isExempt(canonical)) return { use, reference, canonical, findings: [], skipRegistry: 'exempt' };
  const findings: Finding[] = [];
  if (!reference.digest && (reference.tag === undefined || reference.tag === 'latest')) {
    const written =
      reference.tag === undefined
        ? `${JSON.stringify(use.image)} has no tag and pulls :latest`
        : `${JSON.stringify(use.image)} uses :latest`;
    findings.push({
      class: 'latestTag',
      use,
      canonical,
      cause: `${written}: nodes may run different images, and rollbacks cannot restore the old one.`,
      fix: 'Fix: pin a version tag or a digest.',
      short: `${written}; pin a version tag or a digest`,
    });
  }
  if (use.pullPolicy === 'Never') {
    findings.push({
      class: 'pullPolicyNever',
      use,
      canonical,
      cause: 'imagePullPolicy is Never: only an image already on the node can run; the registry is not checked.',
      short: 'imagePullPolicy Never: runs only if the image is already on the node; registry not checked',
    });
    return { use, reference, canonical, findings, skipRegistry: 'pullPolicyNever' };
  }
  return { use, reference, canonical, findings };
}
