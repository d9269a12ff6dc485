/** Hand-built review outcomes for the pure record and text tests (a test helper, not shipped code). */
import type { DecidedFinding } from '../../src/policy/finding.js';
import type { ReviewOutcome, UseReport } from '../../src/review/review-object.js';
import type { ImageUse } from '../../src/workload/image-use.js';
import type { CheckTarget } from '../../src/check/classify-document.js';
import type { CheckedObject } from '../../src/check/run-checks.js';

export const APP: ImageUse = {
  image: 'nginx:1.99',
  name: 'app',
  section: 'containers',
  path: 'spec.template.spec.containers[0].image',
};
export const SIDECAR: ImageUse = {
  image: 'busybox',
  name: 'sidecar',
  section: 'containers',
  path: 'spec.template.spec.containers[1].image',
};
export const VOLUME: ImageUse = {
  image: 'Bad',
  name: 'data',
  section: 'volumes',
  path: 'spec.template.spec.volumes[0].image.reference',
};

function target(overrides: Partial<CheckTarget> = {}): CheckTarget {
  return {
    file: 'app.yaml',
    line: 1,
    identity: { kind: 'Deployment', namespace: 'shop', name: 'web' },
    gvk: { group: 'apps', version: 'v1', kind: 'Deployment' },
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      spec: {
        template: {
          spec: {
            imagePullSecrets: [{ name: 'other' }, { name: 'regcred' }],
            containers: [{ name: 'app', image: 'nginx:1.99' }],
          },
        },
      },
    },
    ...overrides,
  };
}

export function reviewed(
  uses: readonly UseReport[],
  findings: readonly DecidedFinding[],
  overrides: Partial<CheckTarget> = {},
): CheckedObject {
  const decision = findings.some((f) => f.verdict === 'deny')
    ? 'deny'
    : findings.some((f) => f.verdict === 'warn')
      ? 'warn'
      : 'allow';
  const outcome: ReviewOutcome = {
    status: 'reviewed',
    objectLabel: 'Deployment shop/web',
    checkedUses: uses.length,
    uses,
    decision: { verdict: decision, findings },
  };
  return { target: target(overrides), outcome };
}

export const NOT_FOUND: DecidedFinding = {
  class: 'notFound',
  verdict: 'deny',
  outcome: 'not-found',
  use: APP,
  canonical: 'docker.io/library/nginx:1.99',
  cause: 'tag "1.99" does not exist in docker.io/library/nginx.',
  fix: 'Fix: use an existing tag.',
  short: 'tag "1.99" not found',
};
export const LATEST: DecidedFinding = {
  class: 'latestTag',
  verdict: 'warn',
  use: SIDECAR,
  canonical: 'docker.io/library/busybox:latest',
  cause: '"busybox" has no tag and pulls :latest.',
  fix: 'Fix: pin a version tag or a digest.',
  short: '"busybox" has no tag and pulls :latest; pin a version tag or a digest',
};
