import t from 'tap';
import { nextPage } from './tag-list.js';

t.test('Link pagination stays on the registry origin', async (t) => {
  const origin = 'https://r.example:5000';
  const cases: [string | undefined, string | undefined][] = [
    ['</v2/a/tags/list?last=v9&n=1000>; rel="next"', '/v2/a/tags/list?last=v9&n=1000'],
    ['<https://r.example:5000/v2/a/tags/list?last=x>; rel=next', '/v2/a/tags/list?last=x'],
    ['<https://evil.example/v2/a/tags/list>; rel="next"', undefined],
    ['</v2/a/tags/list?first>; rel="prev", </v2/a/tags/list?n=2>; rel="next"', '/v2/a/tags/list?n=2'],
    ['</v2/a/tags/list>; rel="last"', undefined],
    ['garbage', undefined],
    [undefined, undefined],
  ];
  for (const [link, want] of cases) t.equal(nextPage(link, origin), want, String(link));
});
