/**
 * An unexpected error fails only the image (or the step) it happened in: it becomes a warning naming that image,
 * every other image is still checked and can still deny, and the log gets the error's name and code, never its
 * message (which may quote the input).
 */
import t from 'tap';
import { DEFAULT_CONFIG } from '../config/load-config.js';
import { canonicalReference } from '../image/reference.js';
import { exemptMatcher, staticCheck } from '../policy/static-findings.js';
import type { Resolution } from '../resolution/resolution.js';
import type { ReviewLog } from './internal-error.js';
import type { ImageResolver } from '../resolution/image-resolver.js';
import type { PullCredentialsPort, PlatformPort } from './ports.js';
import { createReviewer, type ReviewDeps, type ReviewOutcome } from './review-object.js';
import type { StaticCheckPort } from './static-stage.js';

const POD = { group: '', version: 'v1', kind: 'Pod' };
const SECRET_TEXT = 'hunter2-quoted-input';
const pod = (images: string[]) => ({
  metadata: { name: 'web', namespace: 'shop' },
  spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) },
});

/** A resolver answering from a table by canonical reference (found when absent). */
const table = (answers: Record<string, Resolution | (() => Resolution)>): ImageResolver => ({
  resolve: async ({ reference }) => {
    const answer = answers[canonicalReference(reference)] ?? { outcome: 'found', digest: 'sha256:x' };
    return typeof answer === 'function' ? answer() : answer;
  },
});

function run(deps: Partial<ReviewDeps>, images: string[]) {
  const logged: object[] = [];
  const log: ReviewLog = { warn: (details, message) => void logged.push({ ...details, message }) };
  const reviewer = createReviewer({ config: DEFAULT_CONFIG, resolver: table({}), log, ...deps });
  const outcome = reviewer.review({
    kind: POD,
    operation: 'CREATE',
    namespace: 'shop',
    object: pod(images),
    signal: AbortSignal.timeout(5000),
  });
  return outcome.then((o) => ({ outcome: reviewed(o), logged }));
}

function reviewed(outcome: ReviewOutcome) {
  if (outcome.status !== 'reviewed') throw new Error(`expected a review, got ${outcome.status}`);
  return outcome;
}

const summary = (outcome: ReturnType<typeof reviewed>) =>
  outcome.decision.findings.map((f) => [f.use?.name ?? f.subject, f.class, f.verdict]);
const boom = (name = 'RangeError') =>
  Object.assign(new Error(`${SECRET_TEXT} Maximum call stack size exceeded`), { name });
const MISSING = 'example.com/team/missing:1.0';

t.test(
  'a static check that throws for one image: that image warns, a missing image in the same pod is denied',
  async (t) => {
    const isExempt = exemptMatcher([]);
    const check: StaticCheckPort = (use) => {
      if (use.image.startsWith('example.com/huge')) throw boom();
      return staticCheck(use, isExempt);
    };
    const { outcome, logged } = await run(
      { staticCheck: check, resolver: table({ [MISSING]: { outcome: 'not-found', missing: 'tag' } }) },
      ['example.com/huge:1', MISSING, 'example.com/ok:1'],
    );
    t.equal(outcome.decision.verdict, 'deny', 'the missing image still denies the pod');
    t.same(summary(outcome), [
      ['c0', 'unreachable', 'warn'],
      ['c1', 'notFound', 'deny'],
    ]);
    t.equal(outcome.decision.findings[0]?.short, 'internal error checking "example.com/huge:1"; admitted anyway');
    t.same(
      outcome.uses.map((u) => u.resolution?.outcome),
      [undefined, 'not-found', 'found'],
      'the other images were resolved',
    );
    t.same(logged, [
      { step: 'static check', error: { name: 'RangeError' }, message: 'unexpected error during review' },
    ]);
  },
);

t.test('a huge image text is quoted only in part', async (t) => {
  const huge = `example.com/${'a'.repeat(4_000_000)}:1`;
  const check: StaticCheckPort = () => {
    throw boom();
  };
  const { outcome } = await run({ staticCheck: check }, [huge]);
  const finding = outcome.decision.findings[0];
  t.ok(finding && finding.short.length <= 110 && finding.cause.length < 250, 'bounded text');
  t.match(finding?.short, /^internal error checking "example\.com\/a+…"; admitted anyway$/);
});

t.test('a resolver that throws or rejects for one image: that image warns, the others are still checked', async (t) => {
  for (const [name, resolver] of [
    [
      'rejects',
      table({
        'example.com/bad:1': () => {
          throw boom('TypeError');
        },
        [MISSING]: { outcome: 'not-found', missing: 'tag' },
      }),
    ],
    [
      'throws synchronously',
      {
        resolve: ({ reference }) => {
          if (canonicalReference(reference) === 'example.com/bad:1') throw boom('TypeError');
          return table({ [MISSING]: { outcome: 'not-found', missing: 'tag' } }).resolve({
            reference,
            credentials: [],
            signal: AbortSignal.timeout(1000),
          });
        },
      } as ImageResolver,
    ],
    [
      'peek throws',
      {
        ...table({ [MISSING]: { outcome: 'not-found', missing: 'tag' } }),
        peek: ({ reference }) => {
          if (canonicalReference(reference) === 'example.com/bad:1') throw boom('TypeError');
          return undefined;
        },
      } as ImageResolver,
    ],
  ] as const) {
    const { outcome, logged } = await run({ resolver }, ['example.com/bad:1', 'example.com/bad:1', MISSING]);
    t.equal(outcome.decision.verdict, 'deny', `${name}: the missing image still denies`);
    t.same(
      summary(outcome),
      [
        ['c0', 'unreachable', 'warn'],
        ['c1', 'unreachable', 'warn'],
        ['c2', 'notFound', 'deny'],
      ],
      `${name}: both uses of the failed image warn`,
    );
    t.match(outcome.decision.findings[0]?.short, /^internal error checking example\.com\/bad:1; admitted anyway$/);
    t.notMatch(JSON.stringify(logged), SECRET_TEXT, `${name}: the error message is not logged`);
    t.match(logged, [{ step: 'resolve', error: { name: 'TypeError' } }]);
  }
});

t.test("a throw while building one image's finding: that image warns, the others still deny", async (t) => {
  const poisoned = {
    outcome: 'not-found',
    missing: 'tag',
    get suggestions(): string[] {
      throw boom();
    },
  } as unknown as Resolution;
  const { outcome } = await run(
    { resolver: table({ 'example.com/odd:1': poisoned, [MISSING]: { outcome: 'not-found', missing: 'tag' } }) },
    ['example.com/odd:1', MISSING],
  );
  t.same(summary(outcome), [
    ['c0', 'unreachable', 'warn'],
    ['c1', 'notFound', 'deny'],
  ]);
});

t.test(
  'a keychain that throws: a pod-level warning, refusals become warnings, a missing image still denies',
  async (t) => {
    const pullCredentials: PullCredentialsPort = async () => {
      throw boom('SyntaxError');
    };
    const resolver = table({
      'example.com/private:1': { outcome: 'unauthorized', reason: 'anonymous-refused' },
      [MISSING]: { outcome: 'not-found', missing: 'tag' },
    });
    const { outcome, logged } = await run({ pullCredentials, resolver }, ['example.com/private:1', MISSING]);
    t.equal(outcome.decision.verdict, 'deny');
    t.same(summary(outcome), [
      ["pod's pull credentials", 'unreachable', 'warn'],
      ['c0', 'unreachable', 'warn'],
      ['c1', 'notFound', 'deny'],
    ]);
    t.match(
      outcome.decision.findings[1]?.short,
      /pull secrets unreadable; admitted anyway/,
      'the refusal is not certain',
    );
    t.same(logged, [
      { step: 'credentials', error: { name: 'SyntaxError' }, message: 'unexpected error during review' },
    ]);
  },
);

t.test(
  'a platform port that throws: a pod-level warning, the platform check is skipped, the rest still runs',
  async (t) => {
    const platforms: PlatformPort = () => {
      throw boom();
    };
    const { outcome } = await run(
      { platforms, resolver: table({ [MISSING]: { outcome: 'not-found', missing: 'tag' } }) },
      ['example.com/ok:1', MISSING],
    );
    t.equal(outcome.decision.verdict, 'deny');
    t.same(summary(outcome), [
      ["pod's platforms", 'unreachable', 'warn'],
      ['c1', 'notFound', 'deny'],
    ]);
    t.match(outcome.decision.findings[0]?.short, /the platform check was skipped/);
  },
);

t.test('errors that are not Error objects, or carry odd codes, are logged safely', async (t) => {
  const check: StaticCheckPort = () => {
    throw Object.assign(new Error('x'), { name: `Evil${SECRET_TEXT}\n`, code: `E_${SECRET_TEXT}` });
  };
  const { logged } = await run({ staticCheck: check }, ['example.com/a:1']);
  t.same(logged, [{ step: 'static check', error: { name: 'unknown' }, message: 'unexpected error during review' }]);
  const throwsString: StaticCheckPort = () => {
    throw SECRET_TEXT;
  };
  const second = await run({ staticCheck: throwsString }, ['example.com/a:1']);
  t.same(second.logged, [
    { step: 'static check', error: { name: 'unknown' }, message: 'unexpected error during review' },
  ]);
});
