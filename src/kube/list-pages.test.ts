import t from 'tap';
import type { KubeAnswer, KubeRequest } from './kube-request.js';
import { listPages } from './list-pages.js';

/** A request function answering from `pages` in turn, recording each path. */
function pager(pages: KubeAnswer[]): { request: KubeRequest; paths: string[] } {
  const paths: string[] = [];
  const request: KubeRequest = (method, path) => {
    paths.push(`${method} ${path}`);
    return Promise.resolve(pages.shift() ?? { status: 'error', kind: 'invalid', detail: 'no more pages' });
  };
  return { request, paths };
}

const page = (names: string[], next?: string, resourceVersion = '7'): KubeAnswer => ({
  status: 'ok',
  value: {
    apiVersion: 'v1',
    kind: 'PodList',
    metadata: { resourceVersion, ...(next ? { continue: next } : {}) },
    items: names.map((name) => ({ name })),
  },
});

t.test('follows continue tokens, passes the selector as written, keeps the first resourceVersion', async (t) => {
  const { request, paths } = pager([page(['a', 'b'], 'tok 1'), page(['c'], undefined, '9')]);
  const taken: unknown[] = [];
  const result = await listPages(request, '/api/v1/pods', {
    labelSelector: 'app in (web),tier!=db',
    fieldSelector: 'spec.nodeName=n1',
    pageSize: 2,
    signal: new AbortController().signal,
    take: (item) => taken.push(item['name']) > 0,
  });
  t.same(result, { status: 'ok', head: { apiVersion: 'v1', kind: 'PodList' }, resourceVersion: '7', capped: false });
  t.same(taken, ['a', 'b', 'c']);
  t.same(paths, [
    'GET /api/v1/pods?limit=2&labelSelector=app+in+%28web%29%2Ctier%21%3Ddb&fieldSelector=spec.nodeName%3Dn1',
    'GET /api/v1/pods?limit=2&labelSelector=app+in+%28web%29%2Ctier%21%3Ddb&fieldSelector=spec.nodeName%3Dn1&continue=tok+1',
  ]);
});

t.test('stops paging once take refuses an item: capped', async (t) => {
  const { request, paths } = pager([page(['a', 'b'], 'next'), page(['c'])]);
  const result = await listPages(request, '/x', {
    signal: new AbortController().signal,
    take: (item) => item['name'] === 'a',
  });
  t.same(result, { status: 'ok', head: { apiVersion: 'v1', kind: 'PodList' }, resourceVersion: '7', capped: true });
  t.equal(paths.length, 1);
});

t.test('failures come back classified; a body that is no list is invalid', async (t) => {
  const signal = new AbortController().signal;
  const take = () => true;
  t.same(await listPages(pager([{ status: 'not-found' }]).request, '/x', { signal, take }), { status: 'not-found' });
  t.same(
    await listPages(
      pager([page(['a'], 'n'), { status: 'error', kind: 'forbidden', detail: 'HTTP 403' }]).request,
      '/x',
      {
        signal,
        take,
      },
    ),
    { status: 'error', kind: 'forbidden', detail: 'HTTP 403' },
  );
  t.same(await listPages(pager([{ status: 'ok', value: { items: 'no' } }]).request, '/x', { signal, take }), {
    status: 'error',
    kind: 'invalid',
    detail: 'not a list: no items array',
  });
  t.same(await listPages(pager([{ status: 'conflict' }]).request, '/x', { signal, take }), {
    status: 'error',
    kind: 'invalid',
    detail: 'HTTP 409',
  });
});

t.test('items that are not objects are skipped; paging is bounded', async (t) => {
  const taken: unknown[] = [];
  const { request } = pager([{ status: 'ok', value: { metadata: {}, items: [1, null, { name: 'x' }] } }]);
  const result = await listPages(request, '/x', {
    signal: new AbortController().signal,
    take: (item) => taken.push(item) > 0,
  });
  t.same(result, { status: 'ok', head: {}, resourceVersion: '', capped: false });
  t.same(taken, [{ name: 'x' }]);
  let calls = 0;
  const endless: KubeRequest = () => {
    calls++;
    return Promise.resolve(page([], 'again'));
  };
  const bounded = await listPages(endless, '/x', { signal: new AbortController().signal, take: () => true });
  t.same(bounded, { status: 'error', kind: 'invalid', detail: 'more than 1000 pages' });
  t.equal(calls, 1000);
});
