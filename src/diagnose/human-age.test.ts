import t from 'tap';
import { humanAge } from './human-age.js';

t.test("kubectl's ages, at each boundary of its rules", async (t) => {
  const cases: readonly (readonly [number, string])[] = [
    [-5, '0s'],
    [Number.NaN, '0s'],
    [0, '0s'],
    [59.9, '59s'],
    [119, '119s'],
    [120, '2m'],
    [330, '5m30s'],
    [599, '9m59s'],
    [600, '10m'],
    [3 * 3600 - 1, '179m'],
    [3 * 3600, '3h'],
    [7 * 3600 + 59 * 60, '7h59m'],
    [8 * 3600, '8h'],
    [47 * 3600 + 3599, '47h'],
    [48 * 3600, '2d'],
    [2 * 86400 + 3 * 3600 + 120, '2d3h'],
    [8 * 86400, '8d'],
    [729 * 86400, '729d'],
    [730 * 86400, '2y'],
    [(3 * 365 + 20) * 86400, '3y20d'],
    [9 * 365 * 86400 + 86400, '9y'],
  ];
  for (const [seconds, age] of cases) t.equal(humanAge(seconds), age, `${seconds}s`);
});
