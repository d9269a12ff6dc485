import t from 'tap';
import {
  elapsed,
  fakeResolver,
  found,
  mirror,
  missing,
  request,
  signal,
  upstream,
} from '../../test/helpers/route-resolve-fakes.js';
import { canonicalReference } from '../image/reference.js';
import type { ImageResolver } from '../resolution/image-resolver.js';
import type { Resolution } from '../resolution/resolution.js';
import type { RouteTarget } from './node-plan.js';
import { resolveRoute } from './route-resolve.js';

t.test('past the deadline the next endpoint is a timeout and none after it is asked', async (t) => {
  const controller = new AbortController();
  const { resolver, calls } = fakeResolver({});
  resolver.onResolve = () => controller.abort();
  const local: RouteTarget = { host: 'localhost:30500', role: 'mirror', unaskable: 'node-local' };
  const targets = [mirror('a.internal'), local, mirror('b.internal'), upstream];
  const route = await resolveRoute(resolver, request(targets), controller.signal, elapsed);
  t.equal(calls.length, 1);
  t.same(
    route.steps.map((s) => [s.host, s.result]),
    [
      ['a.internal', missing],
      ['localhost:30500', 'node-local'],
      ['b.internal', { outcome: 'timeout', afterMs: 1500 }],
    ],
    'a miss on the first mirror is not the whole answer',
  );

  const before = fakeResolver({});
  const aborted = new AbortController();
  aborted.abort();
  const none = await resolveRoute(before.resolver, request([mirror('a.internal'), upstream]), aborted.signal, elapsed);
  t.same(
    none.steps.map((s) => s.result),
    [{ outcome: 'timeout', afterMs: 1500 }],
  );
  t.equal(before.calls.length, 0);
});

t.test('a resolver that outlives the deadline is answered with a timeout', async (t) => {
  const controller = new AbortController();
  const calls: string[] = [];
  const hanging: ImageResolver = {
    resolve(options) {
      calls.push(canonicalReference(options.reference));
      setImmediate(() => controller.abort());
      return new Promise(() => undefined);
    },
  };
  const route = await resolveRoute(hanging, request([mirror('a.internal'), upstream]), controller.signal, elapsed);
  t.same(calls, ['a.internal/library/nginx:1.27']);
  t.same(
    route.steps.map((s) => [s.host, s.result]),
    [
      ['a.internal', { outcome: 'timeout', afterMs: 1500 }],
      ['registry-1.docker.io', { outcome: 'timeout', afterMs: 1500 }],
    ],
  );
});

t.test("an endpoint's own timeout does not stop the route: the runtime tries the next", async (t) => {
  const slow: Resolution = { outcome: 'timeout', afterMs: 3000 };
  const { resolver, calls } = fakeResolver({
    'a.internal/library/nginx:1.27': slow,
    'docker.io/library/nginx:1.27': found,
  });
  const route = await resolveRoute(resolver, request([mirror('a.internal'), upstream]), signal(), elapsed);
  t.equal(calls.length, 2);
  t.same(
    route.steps.map((s) => s.result),
    [slow, found],
  );
});
