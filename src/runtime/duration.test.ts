import t from 'tap';
import { formatDuration, parseDuration } from './duration.js';

t.test('parseDuration: Go-style durations to milliseconds', async (t) => {
  const cases: [string, number | undefined][] = [
    ['500ms', 500],
    ['3s', 3000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    [' 2s ', 2000],
    ['0s', 0],
    ['', undefined],
    ['5', undefined],
    ['5x', undefined],
    ['-1s', undefined],
    ['s', undefined],
    ['1.s', undefined],
    ['5 s', undefined],
    ['1d', undefined],
  ];
  for (const [text, ms] of cases) t.equal(parseDuration(text), ms, JSON.stringify(text));
});

t.test('formatDuration: the wording messages use', async (t) => {
  t.equal(formatDuration(2000), '2.0s');
  t.equal(formatDuration(750), '750ms');
  t.equal(formatDuration(999.6), '1000ms');
});
