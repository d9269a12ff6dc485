import t from 'tap';
import { credentialFinding } from '../policy/credential-findings.js';
import type { DecidedFinding } from '../policy/finding.js';
import type { CredentialProblem } from '../credentials/credential-problem.js';
import { bySeverity, checkRecords } from './check-records.js';
import { APP, LATEST, NOT_FOUND, reviewed, SIDECAR, VOLUME } from '../../test/check/check-outcomes.js';

const OBJECT = { kind: 'Deployment', namespace: 'shop', name: 'web' };

t.test('one record per image use, with the outcome, the most severe finding and every finding', async (t) => {
  const checked = reviewed(
    [
      { use: APP, canonical: 'docker.io/library/nginx:1.99', resolution: { outcome: 'not-found', missing: 'tag' } },
      {
        use: SIDECAR,
        canonical: 'docker.io/library/busybox:latest',
        resolution: { outcome: 'found', digest: 'sha256:abc' },
      },
      { use: VOLUME, skipped: 'invalid' },
    ],
    [LATEST, NOT_FOUND, { ...LATEST, class: 'unreachable', verdict: 'allow', use: SIDECAR }],
  );
  t.same(checkRecords([checked]), [
    {
      record: 'use',
      file: 'app.yaml',
      line: 1,
      object: OBJECT,
      container: 'app',
      path: APP.path,
      image: 'nginx:1.99',
      reference: 'docker.io/library/nginx:1.99',
      outcome: 'not-found',
      class: 'notFound',
      verdict: 'deny',
      message: 'tag "1.99" does not exist in docker.io/library/nginx. Fix: use an existing tag.',
      findings: [
        {
          class: 'notFound',
          verdict: 'deny',
          message: 'tag "1.99" does not exist in docker.io/library/nginx. Fix: use an existing tag.',
          nodeError:
            'Node error (containerd, assumed): Failed to pull image "nginx:1.99": failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve image: docker.io/library/nginx:1.99: not found',
        },
      ],
    },
    {
      record: 'use',
      file: 'app.yaml',
      line: 1,
      object: OBJECT,
      container: 'sidecar',
      path: SIDECAR.path,
      image: 'busybox',
      reference: 'docker.io/library/busybox:latest',
      outcome: 'found',
      class: 'latestTag',
      verdict: 'warn',
      message: '"busybox" has no tag and pulls :latest. Fix: pin a version tag or a digest.',
      findings: [
        {
          class: 'latestTag',
          verdict: 'warn',
          message: '"busybox" has no tag and pulls :latest. Fix: pin a version tag or a digest.',
        },
        {
          class: 'unreachable',
          verdict: 'allow',
          message: '"busybox" has no tag and pulls :latest. Fix: pin a version tag or a digest.',
        },
      ],
      digest: 'sha256:abc',
    },
    {
      record: 'use',
      file: 'app.yaml',
      line: 1,
      object: OBJECT,
      container: 'data',
      path: VOLUME.path,
      image: 'Bad',
      reference: null,
      outcome: 'invalid',
      class: null,
      verdict: 'allow',
      message: null,
      findings: [],
    },
  ]);
});

t.test('outcome: not-checked when the registry was not asked', async (t) => {
  for (const skipped of ['offline', 'exempt', 'pullPolicyNever'] as const) {
    const [record] = checkRecords([reviewed([{ use: APP, canonical: 'docker.io/library/nginx:1.99', skipped }], [])]);
    t.same(
      [record?.outcome, record?.class, record?.verdict, record?.message],
      ['not-checked', null, 'allow', null],
      skipped,
    );
  }
});

t.test(
  'pod-level findings: container null, the path of the imagePullSecrets entry or of the service account',
  async (t) => {
    // Findings as the review makes them for the fixture's pod spec (imagePullSecrets: other, regcred).
    const fields = { podSpecPath: 'spec.template.spec', imagePullSecrets: ['other', 'regcred'] };
    const pod = (
      problem: CredentialProblem,
      subject: string,
      verdict: DecidedFinding['verdict'] = 'warn',
    ): DecidedFinding => ({
      ...credentialFinding(problem, 'Deployment', fields),
      class: 'missingPullSecret',
      verdict,
      subject,
      cause: `${subject} is missing.`,
      fix: undefined,
      short: 'missing',
    });
    const checked = reviewed(
      [{ use: APP, canonical: 'docker.io/library/nginx:1.99', resolution: { outcome: 'found' } }],
      [
        pod({ kind: 'missingPullSecret', secret: 'shop/regcred', why: 'not-found' }, 'pull secret shop/regcred'),
        pod(
          { kind: 'missingPullSecret', secret: 'shop/from-sa', why: 'not-found' },
          'pull secret shop/from-sa',
          'deny',
        ),
        pod({ kind: 'missingServiceAccount', serviceAccount: 'shop/builder' }, 'service account shop/builder'),
      ],
    );
    const records = checkRecords([checked]).slice(1);
    t.same(
      records.map((r) => [
        r.container,
        r.image,
        r.reference,
        r.outcome,
        r.path,
        r.subject,
        r.class,
        r.verdict,
        r.message,
        r.record,
        r.findings.length,
      ]),
      [
        [
          null,
          null,
          null,
          'not-checked',
          'spec.template.spec.imagePullSecrets[1]',
          'pull secret shop/regcred',
          'missingPullSecret',
          'warn',
          'pull secret shop/regcred is missing.',
          'pod',
          1,
        ],
        [
          null,
          null,
          null,
          'not-checked',
          'spec.template.spec.serviceAccountName',
          'pull secret shop/from-sa',
          'missingPullSecret',
          'deny',
          'pull secret shop/from-sa is missing.',
          'pod',
          1,
        ],
        [
          null,
          null,
          null,
          'not-checked',
          'spec.template.spec.serviceAccountName',
          'service account shop/builder',
          'missingPullSecret',
          'warn',
          'service account shop/builder is missing.',
          'pod',
          1,
        ],
      ],
    );
  },
);

t.test('objects that were not reviewed give no records', async (t) => {
  const base = reviewed([], []);
  t.same(
    checkRecords([
      { ...base, outcome: { status: 'skipped', reason: 'owned' } },
      { ...base, outcome: { status: 'invalid', problem: 'bad' } },
    ]),
    [],
  );
});

t.test('a use with two findings keeps both, most severe first (deny over warn)', async (t) => {
  const missing = { ...NOT_FOUND, use: SIDECAR, cause: 'tag "latest" does not exist.', fix: undefined };
  const [record] = checkRecords([
    reviewed([{ use: SIDECAR, canonical: 'docker.io/library/busybox:latest' }], [LATEST, missing]),
  ]);
  t.same(
    record?.findings.map((f) => [f.class, f.verdict, f.message]),
    [
      ['notFound', 'deny', 'tag "latest" does not exist.'],
      ['latestTag', 'warn', '"busybox" has no tag and pulls :latest. Fix: pin a version tag or a digest.'],
    ],
  );
  t.same([record?.class, record?.verdict, record?.message], ['notFound', 'deny', 'tag "latest" does not exist.']);
});

t.test("a denied finding carries the node's error in the words of the review's runtime; others none", async (t) => {
  const checked = reviewed(
    [{ use: APP, canonical: 'docker.io/library/nginx:1.99', resolution: { outcome: 'not-found', missing: 'tag' } }],
    [NOT_FOUND, { ...NOT_FOUND, class: 'unauthorized', verdict: 'warn' }],
  );
  if (checked.outcome.status !== 'reviewed') throw new Error('fixture');
  const crio = { ...checked, outcome: { ...checked.outcome, runtime: 'cri-o' as const } };
  const [record] = checkRecords([crio]);
  t.equal(
    record?.findings[0]?.nodeError,
    'Node error (cri-o): Failed to pull image "nginx:1.99": initializing source docker://docker.io/library/nginx:1.99: reading manifest 1.99 in docker.io/library/nginx: manifest unknown',
  );
  t.equal(record?.findings[1]?.verdict, 'warn');
  t.notOk(record && 'nodeError' in (record.findings[1] ?? {}), 'a warning: no node error');
});

t.test('bySeverity: deny, then warn, then allow; ties keep their order', async (t) => {
  const allow = { ...LATEST, verdict: 'allow' as const };
  const second = { ...LATEST };
  t.same(bySeverity([]), []);
  const sorted = bySeverity([allow, LATEST, NOT_FOUND, second]);
  t.equal(sorted[0], NOT_FOUND);
  t.equal(sorted[1], LATEST, 'the first of a tie stays first');
  t.equal(sorted[2], second);
  t.equal(sorted[3], allow);
});
