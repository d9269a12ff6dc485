import t from 'tap';
import { reviewBudgetMs } from './budget.js';

t.test('budget = min(network.budget, ?timeout= - 1s), never below 200 ms', async (t) => {
  const cases: [number, unknown, number][] = [
    [8000, '10s', 8000],
    [8000, '5s', 4000],
    [8000, '30s', 8000],
    [8000, '1s', 200],
    [8000, '500ms', 200],
    [8000, undefined, 8000],
    [8000, 'junk', 8000],
    [8000, ['5s', '6s'], 8000],
    [2000, '10s', 2000],
  ];
  for (const [config, timeout, expected] of cases)
    t.equal(reviewBudgetMs(config, timeout), expected, `${config} ms, ?timeout=${JSON.stringify(timeout)}`);
});
