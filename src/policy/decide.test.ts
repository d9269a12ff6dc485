import t from 'tap';
import { VERDICTS, DEFAULT_POLICY, FINDING_CLASSES, type FindingClass, type Policy } from './finding-class.js';
import type { Finding } from './finding.js';
import { decide } from './decide.js';

const finding = (cls: FindingClass): Finding => ({ class: cls, cause: `${cls} cause`, short: `${cls} short` });

t.test('every class with every verdict, in enforce and warn mode', async (t) => {
  for (const cls of FINDING_CLASSES) {
    for (const verdict of VERDICTS) {
      const policy: Policy = { ...DEFAULT_POLICY, [cls]: verdict };
      const enforced = decide([finding(cls)], policy, 'enforce');
      t.equal(enforced.verdict, verdict, `${cls}=${verdict} enforce`);
      t.equal(enforced.findings[0]?.verdict, verdict);
      t.notOk(enforced.findings[0]?.softened);
      const softened = decide([finding(cls)], policy, 'warn');
      t.equal(softened.verdict, verdict === 'deny' ? 'warn' : verdict, `${cls}=${verdict} in mode warn`);
      t.equal(softened.findings[0]?.softened, verdict === 'deny' ? true : undefined, 'softened is marked');
    }
  }
});

t.test('the strongest verdict wins; no findings allow', async (t) => {
  const cases: [FindingClass[], string][] = [
    [[], 'allow'],
    [['latestTag'], 'warn'],
    [['latestTag', 'notFound'], 'deny'],
    [['unreachable', 'timeout', 'rateLimited'], 'warn'],
    [['invalidPullSecret', 'missingPullSecret'], 'deny'],
  ];
  for (const [classes, decision] of cases)
    t.equal(decide(classes.map(finding), DEFAULT_POLICY, 'enforce').verdict, decision, classes.join(',') || 'none');
});

t.test('docs/design.md §2.1 defaults: definitive answers deny, infrastructure problems warn', async (t) => {
  const deny: FindingClass[] = [
    'notFound',
    'unauthorized',
    'invalidReference',
    'platformMismatch',
    'invalidPullSecret',
    'blockedRegistry',
    'ambiguousShortName',
    'missingServiceAccountAnnotation',
  ];
  for (const cls of FINDING_CLASSES) t.equal(DEFAULT_POLICY[cls], deny.includes(cls) ? 'deny' : 'warn', cls);
});
