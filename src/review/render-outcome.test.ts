import t from 'tap';
import type { DecidedFinding } from '../policy/finding.js';
import { logFindings } from './render-outcome.js';
import type { ReviewOutcome } from './review-object.js';

const reviewed = (findings: readonly DecidedFinding[]): ReviewOutcome => ({
  status: 'reviewed',
  objectLabel: 'Pod shop/web',
  checkedUses: 1,
  uses: [],
  decision: { verdict: 'warn', findings },
});
const finding = (patch: Partial<DecidedFinding> = {}): DecidedFinding => ({
  class: 'missingPullSecret',
  verdict: 'warn',
  cause: 'c',
  short: 's',
  ...patch,
});

t.test('a few short findings are logged as their audit records, without a copy', async (t) => {
  const findings = [finding({ subject: 'pull secret shop/regcred', path: 'spec.imagePullSecrets[0]' })];
  const first = logFindings(reviewed(findings));
  t.same(first, [{ subject: 'pull secret shop/regcred', class: 'missingPullSecret', action: 'warn' }]);
  t.equal(logFindings(reviewed(findings)), first, 'the same records the audit annotation uses');
  t.same(logFindings({ status: 'skipped', reason: 'x' }), []);
});

t.test('request-supplied subjects and references are cut, and at most 32 findings are logged', async (t) => {
  const huge = 'n'.repeat(6 * 1024 * 1024);
  const findings = Array.from({ length: 100 }, (_, i) =>
    finding({ subject: `pull secret shop/${huge}${i}`, canonical: `example.com/${huge}:1` }),
  );
  const logged = logFindings(reviewed(findings)) as Record<string, unknown>[];
  t.equal(logged.length, 33);
  t.same(logged[32], { class: 'truncated', omitted: 68 });
  t.ok(JSON.stringify(logged).length < 40_000, `${JSON.stringify(logged).length} bytes for 100 findings of 6 MB names`);
  t.match(logged[0], {
    subject: /^pull secret shop\/n+…$/,
    reference: /^example\.com\/n+…$/,
    class: 'missingPullSecret',
    action: 'warn',
  });
});
