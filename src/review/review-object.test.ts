import t from 'tap';
import { buildConfig, DEFAULT_CONFIG, type Config } from '../config/load-config.js';
import { canonicalReference } from '../image/reference.js';
import type { RegistryCredential } from '../credentials/credential.js';
import type { Resolution } from '../resolution/resolution.js';
import type { CredentialProblem } from '../credentials/credential-problem.js';
import type { PullCredentialsPort, NamespaceModePort } from './ports.js';
import { createReviewer, type ReviewOutcome } from './review-object.js';

const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };
const deployment = (images: string[]) => ({
  metadata: { name: 'web' },
  spec: { template: { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } },
});

function reviewer(options: {
  resolve: (ref: string) => Resolution | Promise<Resolution>;
  config?: Config;
  namespaceMode?: NamespaceModePort;
  problems?: CredentialProblem[];
  creds?: RegistryCredential[];
}) {
  const problems = options.problems ?? [];
  const pullCredentials: PullCredentialsPort = async () => ({
    credentialsFor: () => options.creds ?? [],
    problems,
    uncertain: problems.some((p) => p.kind === 'readFailed'),
  });
  return createReviewer({
    config: options.config ?? DEFAULT_CONFIG,
    resolver: { resolve: async ({ reference }) => options.resolve(canonicalReference(reference)) },
    pullCredentials,
    ...(options.namespaceMode ? { namespaceMode: options.namespaceMode } : {}),
  });
}

const review = (r: ReturnType<typeof reviewer>, images: string[], signal = AbortSignal.timeout(5000)) =>
  r.review({ kind: DEPLOYMENT, operation: 'CREATE', namespace: 'shop', object: deployment(images), signal });

const reviewed = (outcome: ReviewOutcome) => {
  if (outcome.status !== 'reviewed') throw new Error(`expected a review, got ${outcome.status}`);
  return outcome;
};

t.test('each registry outcome becomes its own class and default verdict (docs/design.md §1.3, §2.1)', async (t) => {
  const cases: [Resolution, string | undefined, string][] = [
    [{ outcome: 'found', digest: 'sha256:x' }, undefined, 'allow'],
    [{ outcome: 'not-found', missing: 'tag', suggestions: ['1.29.3'] }, 'notFound', 'deny'],
    [{ outcome: 'not-found', missing: 'repository' }, 'notFound', 'deny'],
    [{ outcome: 'unauthorized', reason: 'anonymous-refused' }, 'unauthorized', 'deny'],
    [{ outcome: 'unauthorized', reason: 'anonymous-refused', ambiguousMissing: true }, 'unauthorized', 'deny'],
    [
      { outcome: 'unauthorized', reason: 'credentials-rejected', credentialSource: 'secret shop/regcred' },
      'unauthorized',
      'deny',
    ],
    [{ outcome: 'rate-limited', remaining: 0 }, 'rateLimited', 'warn'],
    [{ outcome: 'unreachable', cause: 'dns', detail: 'DNS lookup failed' }, 'unreachable', 'warn'],
    [{ outcome: 'timeout', afterMs: 2000 }, 'timeout', 'warn'],
    [{ outcome: 'blocked', host: 'metadata.internal', address: '169.254.169.254' }, 'unreachable', 'warn'],
  ];
  for (const [resolution, cls, decision] of cases) {
    const outcome = reviewed(await review(reviewer({ resolve: () => resolution }), ['example.com/app:1.0']));
    t.equal(outcome.decision.verdict, decision, `${resolution.outcome}: ${decision}`);
    t.same(
      outcome.decision.findings.map((f) => f.class),
      cls ? [cls] : [],
      `${resolution.outcome}: class`,
    );
    t.same(outcome.uses[0]?.resolution, resolution);
  }
});

t.test('node-credential registries warn instead of deny when no pod credential matched', async (t) => {
  const outcome = reviewed(
    await review(reviewer({ resolve: () => ({ outcome: 'unauthorized', reason: 'anonymous-refused' }) }), [
      '123.dkr.ecr.eu-west-1.amazonaws.com/app:1',
    ]),
  );
  t.same(
    outcome.decision.findings.map((f) => [f.class, f.verdict]),
    [['nodeCredentials', 'warn']],
  );
});

t.test('unreadable pull secrets turn a refusal into a warning', async (t) => {
  const problems: CredentialProblem[] = [
    {
      kind: 'readFailed',
      what: 'secret',
      name: 'shop/regcred',
      reason: 'timeout',
      message: 'reading secret shop/regcred timed out',
    },
  ];
  const outcome = reviewed(
    await review(reviewer({ resolve: () => ({ outcome: 'unauthorized', reason: 'anonymous-refused' }), problems }), [
      'example.com/app:1',
    ]),
  );
  t.equal(outcome.decision.verdict, 'warn');
  t.same(outcome.decision.findings.map((f) => f.class).sort(), ['timeout', 'unreachable']);
});

t.test('policy overrides, global mode warn and the namespace label', async (t) => {
  const notFound = () => ({ outcome: 'not-found', missing: 'tag' }) as const;
  const allowed = buildConfig({ policy: { notFound: 'allow' } });
  const warnMode = buildConfig({ mode: 'warn' });
  if (!allowed.ok || !warnMode.ok) throw new Error('config');
  t.equal(
    reviewed(await review(reviewer({ resolve: notFound, config: allowed.config }), ['example.com/a:1'])).decision
      .verdict,
    'allow',
    'notFound: allow',
  );
  const soft = reviewed(await review(reviewer({ resolve: notFound, config: warnMode.config }), ['example.com/a:1']));
  t.equal(soft.decision.verdict, 'warn', 'mode: warn');
  t.equal(soft.decision.findings[0]?.softened, true);

  const asked: string[] = [];
  const namespaceMode: NamespaceModePort = async (ns) => {
    asked.push(ns);
    return 'warn';
  };
  t.equal(
    reviewed(await review(reviewer({ resolve: notFound, namespaceMode }), ['example.com/a:1'])).decision.verdict,
    'warn',
    'pullguard.io/mode=warn',
  );
  await review(reviewer({ resolve: () => ({ outcome: 'found' }), namespaceMode }), ['example.com/a:1']);
  t.same(asked, ['shop', 'shop'], 'the label is read alongside the registry, before anything is known to deny');
  const failing: NamespaceModePort = async () => {
    throw new Error('api down');
  };
  // An unreadable label may hide `warn`: pullguard is fail-open, so denials become warnings (and one says why).
  const unreadable = reviewed(
    await review(reviewer({ resolve: notFound, namespaceMode: failing }), ['example.com/a:1']),
  );
  t.equal(unreadable.decision.verdict, 'warn', 'an unreadable label softens denials');
  t.same(
    unreadable.decision.findings.map((f) => [f.subject ?? f.canonical, f.class, f.verdict, f.softened ?? false]),
    [
      ['namespace shop', 'unreachable', 'warn', false],
      ['example.com/a:1', 'notFound', 'warn', true],
    ],
  );
});

t.test('a resolver that never answers becomes a timeout when the deadline fires', async (t) => {
  const keepAlive = setTimeout(() => {}, 5000); // AbortSignal.timeout is unref'd; in the server a socket keeps the loop alive
  t.teardown(() => clearTimeout(keepAlive));
  const started = Date.now();
  const outcome = reviewed(
    await review(
      reviewer({ resolve: () => new Promise<Resolution>(() => {}) }),
      ['example.com/a:1', 'example.com/b:1'],
      AbortSignal.timeout(150),
    ),
  );
  t.ok(Date.now() - started < 2000, 'answered soon after the deadline');
  t.same(
    outcome.decision.findings.map((f) => f.class),
    ['timeout', 'timeout'],
  );
  t.equal(outcome.decision.verdict, 'warn');
});

t.test('no finding text carries a credential', async (t) => {
  const secret = 'hunter2-s3cr3t';
  const creds: RegistryCredential[] = [
    { username: 'bob', password: secret, source: 'secret shop/regcred' } as unknown as RegistryCredential,
  ];
  const outcome = reviewed(
    await review(
      reviewer({
        resolve: () => ({
          outcome: 'unauthorized',
          reason: 'credentials-rejected',
          credentialSource: 'secret shop/regcred',
        }),
        creds,
      }),
      ['example.com/a:1'],
    ),
  );
  t.notMatch(JSON.stringify(outcome.decision), secret);
  t.match(outcome.decision.findings[0]?.cause, /rejected the credentials from secret shop\/regcred/);
});

t.test('controller-owned pods: skipped on CREATE, but an UPDATE that changes an image is checked', async (t) => {
  const asked: string[] = [];
  const r = createReviewer({
    config: DEFAULT_CONFIG,
    resolver: {
      resolve: async ({ reference }) => {
        asked.push(canonicalReference(reference));
        return { outcome: 'not-found', missing: 'tag' };
      },
    },
  });
  const ownerReferences = [
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'web-7d9c',
      uid: '6f1c2c1e-1b0a-4a4e-9a43-0a8c3b2f1d11',
      controller: true,
    },
  ];
  const owned = (image: string) => ({
    metadata: { name: 'web-7d9c-x2x4p', namespace: 'shop', ownerReferences },
    spec: {
      containers: [
        { name: 'app', image },
        { name: 'side', image: 'example.com/side:1' },
      ],
    },
  });
  const POD = { group: '', version: 'v1', kind: 'Pod' };
  const signal = AbortSignal.timeout(5000);
  const created = await r.review({
    kind: POD,
    operation: 'CREATE',
    namespace: 'shop',
    object: owned('example.com/app:1'),
    signal,
  });
  t.match(created, { status: 'skipped', reason: /owned by ReplicaSet web-7d9c/ });
  const unchanged = reviewed(
    await r.review({
      kind: POD,
      operation: 'UPDATE',
      namespace: 'shop',
      object: owned('example.com/app:1'),
      oldObject: owned('example.com/app:1'),
      signal,
    }),
  );
  t.equal(unchanged.checkedUses, 0, 'a label change checks nothing');
  t.same(asked, []);
  const setImage = reviewed(
    await r.review({
      kind: POD,
      operation: 'UPDATE',
      namespace: 'shop',
      object: owned('example.com/app:2'),
      oldObject: owned('example.com/app:1'),
      signal,
    }),
  );
  t.equal(setImage.decision.verdict, 'deny', 'kubectl set image pod/… to a missing tag is denied');
  t.same(asked, ['example.com/app:2'], 'only the changed image is checked');
});
