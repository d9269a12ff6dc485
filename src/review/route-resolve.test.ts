import t from 'tap';
import type { RegistryCredential } from '../credentials/credential.js';
import { canonicalReference, type ImageReference, parseImageReference } from '../image/reference.js';
import type { ImageResolver, PeekOptions, ResolveOptions } from '../resolution/image-resolver.js';
import type { Resolution } from '../resolution/resolution.js';
import type { PlannedRoute, RouteTarget } from './node-plan.js';
import { peekRoute, resolveRoute, type RouteRequest } from './route-resolve.js';

const found: Resolution = { outcome: 'found', digest: `sha256:${'d'.repeat(64)}` };
const missing: Resolution = { outcome: 'not-found', missing: 'tag' };
const tls: Resolution = { outcome: 'unreachable', cause: 'tls', detail: 'TLS handshake failed' };
const refusedConnection: Resolution = { outcome: 'unreachable', cause: 'refused', detail: 'connection refused' };

function ref(image: string): ImageReference {
  const parsed = parseImageReference(image);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.reference;
}

interface Call {
  readonly reference: string;
  readonly credentials: readonly RegistryCredential[];
  readonly access: ResolveOptions['access'];
  readonly wantIndex: boolean | undefined;
}

/**
 * Answers by canonical reference (and `http:` + reference for a plain-HTTP ask), recording each call; `cached`
 * is what `peek` knows. Unknown references are not found.
 */
function fakeResolver(answers: Record<string, Resolution>, cached: Record<string, Resolution> = {}) {
  const calls: Call[] = [];
  const peeks: Call[] = [];
  const record = (options: PeekOptions): Call => ({
    reference: canonicalReference(options.reference),
    credentials: options.credentials,
    access: options.access,
    wantIndex: options.wantIndex,
  });
  const key = (options: PeekOptions) =>
    `${options.access?.plainHttp === true ? 'http:' : ''}${canonicalReference(options.reference)}`;
  const resolver: ImageResolver & { onResolve?: () => void } = {
    resolve(options) {
      calls.push(record(options));
      resolver.onResolve?.();
      return Promise.resolve(answers[key(options)] ?? missing);
    },
    peek(options) {
      peeks.push(record(options));
      return cached[key(options)];
    },
  };
  return { resolver, calls, peeks };
}

const mirror = (host: string, extra: Partial<RouteTarget> = {}): RouteTarget => ({
  host,
  role: 'mirror',
  reference: ref(`${host}/library/nginx:1.27`),
  ...extra,
});
const upstream: RouteTarget = { host: 'registry-1.docker.io', role: 'upstream', reference: ref('nginx:1.27') };

const mirrorCred: RegistryCredential = { username: 'm', password: 'mirror-secret', source: 'secret ns/mirror' };
const imageCred: RegistryCredential = { username: 'i', password: 'image-secret', source: 'secret ns/hub' };
const sharedCred: RegistryCredential = { username: 's', password: 'shared-secret', source: 'docker config' };

function request(targets: readonly RouteTarget[], overrides: Partial<RouteRequest> = {}): RouteRequest {
  const route: PlannedRoute = { upstream: 'docker.io', targets, skipped: [] };
  return { route, credentialsFor: () => [], imageCredentials: [], wantIndex: false, ...overrides };
}

const signal = () => new AbortController().signal;
const elapsed = () => 1500;

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
  const aliased = { ...req, route: { ...req.route, alias: 'docker.io/library/nginx' } };
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
  t.equal(route.alias, 'docker.io/library/nginx');
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
