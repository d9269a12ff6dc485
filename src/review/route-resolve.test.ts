import t from 'tap';
import {
  elapsed,
  fakeResolver,
  found,
  imageCred,
  mirror,
  mirrorCred,
  missing,
  refusedConnection,
  request,
  sharedCred,
  signal,
  tls,
  upstream,
} from '../../test/helpers/route-resolve-fakes.js';
import type { RegistryCredential } from '../credentials/credential.js';
import type { Resolution } from '../resolution/resolution.js';
import type { RouteTarget } from './node-plan.js';
import { peekRoute, resolveRoute } from './route-resolve.js';

t.test('endpoints are asked in order up to the first that has the image', async (t) => {
  const { resolver, calls } = fakeResolver({ 'b.internal/library/nginx:1.27': found });
  const req = request([mirror('a.internal'), mirror('b.internal'), upstream], { wantIndex: true });
  const route = await resolveRoute(resolver, req, signal(), elapsed);
  t.same(
    calls.map((c) => [c.reference, c.wantIndex]),
    [
      ['a.internal/library/nginx:1.27', true],
      ['b.internal/library/nginx:1.27', true],
    ],
  );
  t.same(route, {
    upstream: 'docker.io',
    steps: [
      { host: 'a.internal', role: 'mirror', result: missing, repository: 'a.internal/library/nginx' },
      { host: 'b.internal', role: 'mirror', result: found, repository: 'b.internal/library/nginx' },
    ],
    skipped: [],
  });
});

t.test("a mirror's own registry is kept on its step", async (t) => {
  const { resolver } = fakeResolver({});
  const searched = mirror('quay-mirror.internal', { mirrorOf: 'quay.io' });
  const route = await resolveRoute(resolver, request([searched, upstream]), signal(), elapsed);
  t.same(
    route.steps.map((s) => s.mirrorOf),
    ['quay.io', undefined],
  );
});

t.test('every endpoint is asked when none has the image; unaskable ones are steps without a call', async (t) => {
  const { resolver, calls } = fakeResolver({});
  const local: RouteTarget = { host: 'localhost:30500', role: 'mirror', unaskable: 'node-local' };
  const req = request([local, mirror('a.internal'), upstream]);
  const aliased = { ...req, route: { ...req.route, pulled: 'docker.io/library/nginx:1.27' } };
  const route = await resolveRoute(resolver, aliased, signal(), elapsed);
  t.same(
    route.steps.map((s) => [s.host, s.result, s.repository]),
    [
      ['localhost:30500', 'node-local', undefined],
      ['a.internal', missing, 'a.internal/library/nginx'],
      ['registry-1.docker.io', missing, 'docker.io/library/nginx'],
    ],
  );
  t.equal(calls.length, 2);
  t.equal(route.pulled, 'docker.io/library/nginx:1.27');
});

t.test("each endpoint gets its own credentials first, then the image's, each once", async (t) => {
  const own: Record<string, readonly RegistryCredential[]> = {
    'a.internal/library/nginx': [mirrorCred, sharedCred],
    'b.internal/library/nginx': [],
  };
  const imageCredentials = [sharedCred, imageCred];
  const credentialsFor = (repository: string) => own[repository] ?? imageCredentials;
  const { resolver, calls } = fakeResolver({});
  const req = request([mirror('a.internal'), mirror('b.internal'), upstream], { credentialsFor, imageCredentials });
  await resolveRoute(resolver, req, signal(), elapsed);
  t.same(
    calls.map((c) => c.credentials.map((x) => x.source)),
    [
      ['secret ns/mirror', 'docker config', 'secret ns/hub'],
      ['docker config', 'secret ns/hub'],
      ['docker config', 'secret ns/hub'],
    ],
  );
  t.equal(calls[1]?.credentials, imageCredentials, 'no own credentials: the image list itself');
  t.equal(calls[2]?.credentials, imageCredentials, 'the upstream: the image list itself');

  const again = fakeResolver({});
  await resolveRoute(again.resolver, req, signal(), elapsed);
  t.equal(again.calls[0]?.credentials, calls[0]?.credentials, 'the same merged list object on every call');

  const anonymousImage = fakeResolver({});
  await resolveRoute(anonymousImage.resolver, { ...req, imageCredentials: [] }, signal(), elapsed);
  t.same(
    anonymousImage.calls[0]?.credentials.map((x) => x.source),
    ['secret ns/mirror', 'docker config'],
  );
});

t.test(
  'the access of a target is passed; http fallback only when allowed and only after TLS-like failures',
  async (t) => {
    const access = { plainHttp: false, insecureSkipVerify: true };
    const insecure = mirror('a.internal', { access, httpFallback: true });
    const plainAnswer = { 'http:a.internal/library/nginx:1.27': found };

    const fallback = fakeResolver({ 'a.internal/library/nginx:1.27': tls, ...plainAnswer });
    const route = await resolveRoute(fallback.resolver, request([insecure, upstream]), signal(), elapsed);
    t.same(
      fallback.calls.map((c) => c.access),
      [access, { plainHttp: true, insecureSkipVerify: true }],
    );
    t.same(
      route.steps.map((s) => s.result),
      [found],
    );

    for (const cause of ['protocol', 'reset'] as const) {
      const answer: Resolution = { outcome: 'unreachable', cause, detail: cause };
      const other = fakeResolver({ 'a.internal/library/nginx:1.27': answer, ...plainAnswer });
      await resolveRoute(other.resolver, request([insecure, upstream]), signal(), elapsed);
      t.equal(other.calls.length, 2, `retried over http after ${cause}`);
    }

    const refusedFirst = fakeResolver({ 'a.internal/library/nginx:1.27': refusedConnection, ...plainAnswer });
    await resolveRoute(refusedFirst.resolver, request([insecure, upstream]), signal(), elapsed);
    t.same(
      refusedFirst.calls.map((c) => c.access?.plainHttp),
      [false, undefined],
      'a refused connection is not retried over http',
    );

    const verified = fakeResolver({ 'a.internal/library/nginx:1.27': tls, ...plainAnswer });
    await resolveRoute(verified.resolver, request([mirror('a.internal', { access }), upstream]), signal(), elapsed);
    t.same(
      verified.calls.map((c) => c.reference),
      ['a.internal/library/nginx:1.27', 'docker.io/library/nginx:1.27'],
      'no http fallback without httpFallback',
    );
  },
);

t.test('peek: the route from cached answers, or undefined when an endpoint it needs is uncached', async (t) => {
  const cachedMissing = { 'a.internal/library/nginx:1.27': missing };
  const partial = fakeResolver({}, cachedMissing);
  t.equal(peekRoute(partial.resolver, request([mirror('a.internal'), upstream])), undefined);
  t.same(
    partial.peeks.map((p) => p.reference),
    ['a.internal/library/nginx:1.27', 'docker.io/library/nginx:1.27'],
  );

  const full = fakeResolver({}, { ...cachedMissing, 'docker.io/library/nginx:1.27': found });
  const local: RouteTarget = { host: 'localhost:30500', role: 'mirror', unaskable: 'node-local' };
  const route = peekRoute(full.resolver, request([local, mirror('a.internal'), upstream]));
  t.same(
    route?.steps.map((s) => s.result),
    ['node-local', missing, found],
  );
  t.equal(full.calls.length, 0, 'never resolves');

  const stops = fakeResolver({}, { 'a.internal/library/nginx:1.27': found });
  t.same(
    peekRoute(stops.resolver, request([mirror('a.internal'), upstream]))?.steps.map((s) => s.host),
    ['a.internal'],
  );
  t.equal(stops.peeks.length, 1, 'the upstream is not needed after a found mirror');

  const access = { plainHttp: true, insecureSkipVerify: false };
  peekRoute(stops.resolver, request([mirror('a.internal', { access })]));
  t.same(stops.peeks.at(-1)?.access, access, 'peeked with the endpoint access');

  const insecure = mirror('a.internal', { access: { plainHttp: false, insecureSkipVerify: true }, httpFallback: true });
  const overHttp = fakeResolver(
    {},
    { 'a.internal/library/nginx:1.27': tls, 'http:a.internal/library/nginx:1.27': found },
  );
  t.same(
    peekRoute(overHttp.resolver, request([insecure, upstream]))?.steps.map((s) => s.result),
    [found],
    'the cached plain-HTTP answer of an insecure endpoint, as resolveRoute would ask',
  );
  const httpUncached = fakeResolver({}, { 'a.internal/library/nginx:1.27': tls });
  t.equal(peekRoute(httpUncached.resolver, request([insecure, upstream])), undefined);
  const verifiedTls = fakeResolver({}, { 'a.internal/library/nginx:1.27': tls, 'docker.io/library/nginx:1.27': found });
  t.same(
    peekRoute(verifiedTls.resolver, request([mirror('a.internal'), upstream]))?.steps.map((s) => s.result),
    [tls, found],
  );

  const { peek: _peek, ...withoutPeek } = fakeResolver({}).resolver;
  t.equal(peekRoute(withoutPeek, request([upstream])), undefined, 'a resolver without a cache');
});
