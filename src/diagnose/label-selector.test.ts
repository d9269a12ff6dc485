import t from 'tap';
import { matchesSelector } from './label-selector.js';

const labels = { app: 'web', tier: 'front' };

t.test('matchLabels: every pair must be present and equal', async (t) => {
  t.equal(matchesSelector({ matchLabels: { app: 'web' } }, labels), true);
  t.equal(matchesSelector({ matchLabels: { app: 'web', tier: 'back' } }, labels), false);
  t.equal(matchesSelector({ matchLabels: { missing: '' } }, labels), false);
  t.equal(matchesSelector({ matchLabels: { toString: 'x' } }, {}), false, 'not a property of Object.prototype');
  t.equal(matchesSelector({}, labels), true, 'an empty selector selects everything');
  t.equal(matchesSelector({ matchLabels: null, matchExpressions: null }, labels), true);
});

t.test('matchExpressions: In, NotIn, Exists, DoesNotExist; an unknown operator matches nothing', async (t) => {
  const one = (operator: string, key: string, values?: string[]) =>
    matchesSelector({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] }, labels);
  t.equal(one('In', 'app', ['api', 'web']), true);
  t.equal(one('In', 'app', ['api']), false);
  t.equal(one('In', 'none', ['web']), false);
  t.equal(one('NotIn', 'app', ['api']), true);
  t.equal(one('NotIn', 'app', ['web']), false);
  t.equal(one('NotIn', 'none', ['web']), true, 'NotIn holds when the label is absent');
  t.equal(one('Exists', 'tier'), true);
  t.equal(one('Exists', 'none'), false);
  t.equal(one('DoesNotExist', 'none'), true);
  t.equal(one('DoesNotExist', 'tier'), false);
  t.equal(one('Gt', 'app', ['1']), false);
  t.equal(
    matchesSelector(
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] },
      labels,
    ),
    false,
    'every requirement must hold',
  );
});
