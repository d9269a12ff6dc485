import t from 'tap';
import { exemptMatcher, staticCheck } from '../policy/static-findings.js';
import type { ImageUse } from '../workload/image-use.js';
import type { ReviewLog } from './internal-error.js';
import { registryChecks, staticStage, type StaticCheckPort } from './static-stage.js';

const use = (image: string, name = 'app', pullPolicy?: string): ImageUse => ({
  image,
  name,
  section: 'containers',
  path: `spec.containers[${name}].image`,
  ...(pullPolicy ? { pullPolicy } : {}),
});
const check: StaticCheckPort = (u) => staticCheck(u, exemptMatcher(['registry.k8s.io/pause:*']));

t.test('every use gets its static check, in order', async (t) => {
  const checks = staticStage([use('nginx', 'a'), use('example.com/app:1', 'b'), use('Nginx', 'c')], check, undefined);
  t.same(
    checks.map((c) => c.canonical),
    ['docker.io/library/nginx:latest', 'example.com/app:1', undefined],
  );
  t.same(
    checks.map((c) => c.findings.map((f) => f.class)),
    [['latestTag'], [], ['invalidReference']],
  );
});

t.test('a check that throws fails only its own use: an unparsed check with an internal-error warning', async (t) => {
  const logged: object[] = [];
  const log: ReviewLog = { warn: (details) => void logged.push(details) };
  const throwing: StaticCheckPort = (u) => {
    if (u.name === 'bad') throw new RangeError('boom');
    return check(u);
  };
  const checks = staticStage([use('example.com/x:1', 'bad'), use('example.com/y:1', 'good')], throwing, log);
  t.equal(checks[0]?.reference, undefined, 'no parsed reference: the registry is not asked');
  t.match(checks[0]?.findings, [
    { class: 'unreachable', short: 'internal error checking "example.com/x:1"; admitted anyway' },
  ]);
  t.equal(checks[1]?.canonical, 'example.com/y:1');
  t.same(logged, [{ step: 'static check', error: { name: 'RangeError' } }]);
});

t.test('only parsed checks that are not skipped go to the registry', async (t) => {
  const checks = staticStage(
    [
      use('example.com/app:1', 'a'),
      use('Nginx', 'b'),
      use('registry.k8s.io/pause:3.10', 'c'),
      use('example.com/local:1', 'd', 'Never'),
    ],
    check,
    undefined,
  );
  t.same(
    checks.map((c) => c.skipRegistry),
    [undefined, 'invalid', 'exempt', 'pullPolicyNever'],
  );
  t.same(
    registryChecks(checks).map((c) => c.canonical),
    ['example.com/app:1'],
  );
});
