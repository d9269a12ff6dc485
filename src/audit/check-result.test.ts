import t from 'tap';
import type { FindingClass } from '../policy/finding-class.js';
import type { Finding } from '../policy/finding.js';
import { checkResultOf, PULL_FAILS_ON, TRANSIENT } from './check-result.js';

const finding = (cls: FindingClass, cause = `${cls} cause`): Finding => ({ class: cls, cause, short: `${cls} short` });
const ON_TIME = { outOfTime: false };

t.test('a finding a pull fails on: unavailable, with the first such finding', async (t) => {
  for (const cls of PULL_FAILS_ON)
    t.same(checkResultOf({ status: 'reviewed', findings: [finding('latestTag'), finding(cls)] }, ON_TIME), {
      outcome: 'unavailable',
      class: cls,
      message: `${cls} cause`,
    });
  t.same(
    checkResultOf({ status: 'reviewed', findings: [finding('unauthorized'), finding('notFound')] }, ON_TIME),
    { outcome: 'unavailable', class: 'unauthorized', message: 'unauthorized cause' },
    'the first one',
  );
  t.same(
    checkResultOf({ status: 'reviewed', findings: [finding('timeout'), finding('notFound')] }, { outOfTime: true }),
    { outcome: 'unavailable', class: 'notFound', message: 'notFound cause' },
    'known to fail, even when something else did not answer',
  );
});

t.test('a registry that did not answer, or a check out of time: error', async (t) => {
  for (const cls of TRANSIENT)
    t.same(checkResultOf({ status: 'reviewed', findings: [finding(cls)] }, ON_TIME), {
      outcome: 'error',
      message: `${cls} cause`,
    });
  t.same(checkResultOf({ status: 'reviewed', findings: [] }, { outOfTime: true, outOfTimeMessage: 'stopped' }), {
    outcome: 'error',
    message: 'stopped',
  });
  t.same(
    checkResultOf({ status: 'reviewed', findings: [finding('timeout')] }, { outOfTime: true, stopped: true }),
    { outcome: 'error', message: 'the scan was stopped before the check finished' },
    'a stopped run says so, not the timeout it caused',
  );
  t.same(checkResultOf({ status: 'reviewed', findings: [], notAsked: 'offline' }, ON_TIME).outcome, 'error');
});

t.test('not checked by pullguard: skipped, with the reason', async (t) => {
  t.same(checkResultOf({ status: 'skipped', reason: 'namespace shop has pullguard.io/mode=off' }, ON_TIME), {
    outcome: 'skipped',
    reason: 'namespace shop has pullguard.io/mode=off',
  });
  t.match(checkResultOf({ status: 'reviewed', findings: [], notAsked: 'exempt' }, ON_TIME), {
    outcome: 'skipped',
    reason: /exempt/,
  });
  t.match(
    checkResultOf({ status: 'reviewed', findings: [finding('pullPolicyNever')], notAsked: 'pullPolicyNever' }, ON_TIME),
    {
      outcome: 'skipped',
      reason: /Never/,
    },
  );
});

t.test('warnings and advice leave the image available; policy plays no part', async (t) => {
  for (const cls of ['latestTag', 'missingPullSecret', 'nodeCredentials', 'platformPartial', 'nodeLocal'] as const)
    t.same(checkResultOf({ status: 'reviewed', findings: [finding(cls)] }, ON_TIME), { outcome: 'available' }, cls);
  t.same(checkResultOf({ status: 'reviewed', findings: [] }, ON_TIME), { outcome: 'available' });
});

t.test('an object the reviewer cannot read: unavailable as an invalid reference', async (t) => {
  t.same(checkResultOf({ status: 'invalid', problem: 'spec.containers[0].image must be a string' }, ON_TIME), {
    outcome: 'unavailable',
    class: 'invalidReference',
    message: 'spec.containers[0].image must be a string',
  });
});
