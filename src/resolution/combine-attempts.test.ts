import t from 'tap';
import { combineAttempts } from './combine-attempts.js';
import type { Resolution } from './resolution.js';

const rejected = (source: string): Resolution => ({
  outcome: 'unauthorized',
  reason: 'credentials-rejected',
  credentialSource: source,
});
const timeout: Resolution = { outcome: 'timeout', afterMs: 1 };
const missing: Resolution = { outcome: 'not-found', missing: 'tag' };

t.test('the most definitive result wins', async (t) => {
  const cases: [string, Resolution[], Resolution][] = [
    ['one result', [timeout], timeout],
    ['not-found over unauthorized', [rejected('a'), missing], missing],
    ['unauthorized over transient', [timeout, rejected('a')], rejected('a')],
    [
      'unreachable over timeout',
      [timeout, { outcome: 'unreachable', cause: 'dns', detail: 'd' }],
      { outcome: 'unreachable', cause: 'dns', detail: 'd' },
    ],
    ['found over everything', [missing, { outcome: 'found' }], { outcome: 'found' }],
  ];
  for (const [name, results, want] of cases) t.same(combineAttempts(results), want, name);
});

t.test('every refused source is named, in order, once', async (t) => {
  const noAccess: Resolution = { outcome: 'unauthorized', reason: 'no-access', credentialSource: 'b' };
  t.same(combineAttempts([rejected('a'), noAccess, rejected('a')]), {
    outcome: 'unauthorized',
    reason: 'credentials-rejected',
    credentialSource: 'a',
    credentialSources: ['a', 'b'],
  });
});

t.test('no results is a programming error', async (t) => {
  t.throws(() => combineAttempts([]));
});
