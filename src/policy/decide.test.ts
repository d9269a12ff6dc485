import t from 'tap';
import { ACTIONS, DEFAULT_POLICY, FINDING_CLASSES, type FindingClass, type Policy } from './finding-class.js';
import type { Finding } from './finding.js';
import { decide } from './decide.js';

const finding = (cls: FindingClass): Finding => ({ class: cls, cause: `${cls} cause`, short: `${cls} short` });

t.test('every class with every action, in enforce and warn mode', async (t) => {
  for (const cls of FINDING_CLASSES) {
    for (const action of ACTIONS) {
      const policy: Policy = { ...DEFAULT_POLICY, [cls]: action };
      const enforced = decide([finding(cls)], policy, 'enforce');
      t.equal(enforced.decision, action, `${cls}=${action} enforce`);
      t.equal(enforced.findings[0]?.action, action);
      t.notOk(enforced.findings[0]?.softened);
      const softened = decide([finding(cls)], policy, 'warn');
      t.equal(softened.decision, action === 'deny' ? 'warn' : action, `${cls}=${action} in mode warn`);
      t.equal(softened.findings[0]?.softened, action === 'deny' ? true : undefined, 'softened is marked');
    }
  }
});

t.test('the strongest action wins; no findings allow', async (t) => {
  const cases: [FindingClass[], string][] = [
    [[], 'allow'],
    [['latestTag'], 'warn'],
    [['latestTag', 'notFound'], 'deny'],
    [['unreachable', 'timeout', 'rateLimited'], 'warn'],
    [['invalidPullSecret', 'missingPullSecret'], 'deny'],
  ];
  for (const [classes, decision] of cases) t.equal(decide(classes.map(finding), DEFAULT_POLICY, 'enforce').decision, decision, classes.join(',') || 'none');
});

t.test('docs/design.md §2.1 defaults: definitive answers deny, infrastructure problems warn', async (t) => {
  const deny: FindingClass[] = ['notFound', 'unauthorized', 'invalidReference', 'platformMismatch', 'invalidPullSecret'];
  for (const cls of FINDING_CLASSES) t.equal(DEFAULT_POLICY[cls], deny.includes(cls) ? 'deny' : 'warn', cls);
});
