import t from 'tap';
import { matchesSelector } from '../diagnose/label-selector.js';
import { MAX_REQUIREMENTS, MAX_SELECTOR_LENGTH, parseKubectlSelector } from './kubectl-selector.js';

const parsed = (text: string) => {
  const result = parseKubectlSelector(text);
  if (!result.ok) throw new Error(result.problem);
  return result.selector;
};
const problem = (text: string): string => {
  const result = parseKubectlSelector(text);
  return result.ok ? 'parsed' : result.problem;
};

t.test('every operator of the grammar, as the API form', async (t) => {
  t.same(parsed('app=web,tier==front, env in (prod, stage),track notin (canary),release!=old,team,!legacy'), {
    matchLabels: { app: 'web', tier: 'front' },
    matchExpressions: [
      { key: 'env', operator: 'In', values: ['prod', 'stage'] },
      { key: 'track', operator: 'NotIn', values: ['canary'] },
      { key: 'release', operator: 'NotIn', values: ['old'] },
      { key: 'team', operator: 'Exists' },
      { key: 'legacy', operator: 'DoesNotExist' },
    ],
  });
  t.same(parsed('app.kubernetes.io/name=web'), { matchLabels: { 'app.kubernetes.io/name': 'web' } });
  t.same(parsed('app='), { matchLabels: { app: '' } }, 'an empty value is allowed');
  t.same(parsed(''), {}, 'no selector selects everything');
  t.same(parsed('  '), {});
});

t.test('the parsed selector matches labels as the API server would', async (t) => {
  const selector = parsed('app=web,release!=old,!legacy,env in (prod,stage)');
  t.ok(matchesSelector(selector, { app: 'web', env: 'prod' }), '!= holds without the label');
  t.ok(matchesSelector(selector, { app: 'web', env: 'stage', release: 'new' }));
  t.notOk(matchesSelector(selector, { app: 'web', env: 'prod', release: 'old' }));
  t.notOk(matchesSelector(selector, { app: 'web', env: 'prod', legacy: 'yes' }));
  t.notOk(matchesSelector(selector, { app: 'web', env: 'dev' }));
  t.notOk(matchesSelector(selector, { app: 'api', env: 'prod' }));
  const twice = parsed('app=web,app=api');
  t.notOk(matchesSelector(twice, { app: 'web' }), 'two values for one key: both must hold, so nothing matches');
  t.notOk(matchesSelector(twice, { app: 'api' }));
  t.ok(matchesSelector(parsed('app=web,app=web'), { app: 'web' }));
});

t.test('a label named like an Object.prototype property is a plain label; __proto__ is no valid key', async (t) => {
  const selector = parsed('constructor=x,toString');
  t.same(Object.keys(selector.matchLabels ?? {}), ['constructor']);
  t.notOk(matchesSelector(selector, {}), 'not found on the prototype');
  t.ok(matchesSelector(selector, { constructor: 'x', toString: '' }));
  t.match(problem('__proto__=x'), /the key "__proto__"/);
});

t.test('malformed selectors are problems that name what is wrong', async (t) => {
  t.match(problem('app=web,'), /a comma must be followed by a requirement/);
  t.match(problem(',app'), /must start with a label key/);
  t.match(problem('app web'), /unexpected "web" after the key "app"/);
  t.match(problem('app=web tier=x'), /separated by commas/);
  t.match(problem('env in prod'), /"in" must be followed by a list in parentheses/);
  t.match(problem('env in (prod'), /not closed/);
  t.match(problem('replicas>2'), /< and > compare numbers/);
  t.match(problem('-app=web'), /the key "-app"/);
  t.match(problem('Example.COM/app=web'), /the key prefix "Example.COM"/);
  t.match(problem(`${'k'.repeat(64)}=v`), /at most 63/);
  t.match(problem('app=we b'), /unexpected|separated/);
  t.match(problem('app=-web'), /the value "-web"/);
  t.match(problem('!app=web'), /separated by commas/);
  t.match(problem('app=web'), 'parsed');
});

t.test('bounded: text length and requirement count', async (t) => {
  t.match(problem('a'.repeat(MAX_SELECTOR_LENGTH + 1)), /longer than 4096/);
  const many = Array.from({ length: MAX_REQUIREMENTS + 1 }, (_, i) => `k${i}`).join(',');
  t.match(problem(many), /more than 100 requirements/);
  const enough = Array.from({ length: MAX_REQUIREMENTS }, (_, i) => `k${i}`).join(',');
  t.equal(problem(enough), 'parsed');
});
