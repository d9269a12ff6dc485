import t from 'tap';
import { DEFAULT_POLICY } from '../policy/finding-class.js';
import type { Finding } from '../policy/finding.js';
import { decideStage, type DecideInput } from './decide-stage.js';

const use = {
  image: 'example.com/app:1',
  name: 'app',
  section: 'containers',
  path: 'spec.containers[0].image',
} as const;
const missing: Finding = {
  class: 'notFound',
  outcome: 'not-found',
  use,
  canonical: 'example.com/app:1',
  cause: 'missing.',
  short: 'missing',
};
const latest: Finding = { class: 'latestTag', use, canonical: 'example.com/app:1', cause: 'latest.', short: 'latest' };
const input = (overrides: Partial<DecideInput>): DecideInput => ({
  findings: [missing],
  policy: DEFAULT_POLICY,
  globalMode: 'enforce',
  namespaceMode: undefined,
  namespace: 'shop',
  ...overrides,
});
const summary = (decided: ReturnType<typeof decideStage>) =>
  decided.findings.map((f) => [f.class, f.verdict, f.softened ?? false]);

t.test('enforce: the policy decides; no namespace label changes nothing', async (t) => {
  const decided = decideStage(input({}));
  t.equal(decided.verdict, 'deny');
  t.same(summary(decided), [['notFound', 'deny', false]]);
  t.equal(decideStage(input({ namespaceMode: { known: true, mode: undefined } })).verdict, 'deny');
  t.equal(decideStage(input({ namespaceMode: { known: true, mode: 'enforce' } })).verdict, 'deny');
});

t.test('global warn, or the namespace label warn, turns every deny into a warning', async (t) => {
  for (const overrides of [
    { globalMode: 'warn' as const },
    { namespaceMode: { known: true as const, mode: 'warn' as const } },
  ]) {
    const decided = decideStage(input(overrides));
    t.equal(decided.verdict, 'warn');
    t.same(summary(decided), [['notFound', 'warn', true]]);
  }
});

t.test('an unreadable label softens denials too, and one note first says why', async (t) => {
  for (const [why, cls, reason] of [
    ['timeout', 'timeout', 'timed out'],
    ['failed', 'unreachable', 'failed'],
  ] as const) {
    const decided = decideStage(input({ namespaceMode: { known: false, why } }));
    t.equal(decided.verdict, 'warn', `${why}: warn`);
    t.same(
      summary(decided),
      [
        [cls, 'warn', false],
        ['notFound', 'warn', true],
      ],
      `${why}: the note, then the softened denial`,
    );
    t.match(decided.findings[0], {
      subject: 'namespace shop',
      short: `reading its pullguard.io/mode label ${reason}; would-be denials admitted as warnings`,
    });
  }
});

t.test('an unreadable label adds no note when nothing was softened', async (t) => {
  const decided = decideStage(input({ findings: [latest], namespaceMode: { known: false, why: 'failed' } }));
  t.same(summary(decided), [['latestTag', 'warn', false]]);
});
