import t from 'tap';
import type { Resolution } from './resolution.js';
import { decisiveStep, type Route, type RouteStep, routeResolution } from './route.js';

const found: Resolution = { outcome: 'found', digest: `sha256:${'c'.repeat(64)}` };
const tagMissing: Resolution = { outcome: 'not-found', missing: 'tag' };
const repoMissing: Resolution = { outcome: 'not-found', missing: 'repository' };
const refused: Resolution = { outcome: 'unauthorized', reason: 'anonymous-refused' };
const invalid: Resolution = { outcome: 'invalid', reason: 'bad name' };
const down: Resolution = { outcome: 'unreachable', cause: 'refused', detail: 'connection refused' };
const slow: Resolution = { outcome: 'timeout', afterMs: 3000 };
const limited: Resolution = { outcome: 'rate-limited', remaining: 0 };
const guarded: Resolution = { outcome: 'blocked', host: 'mirror.internal', address: '10.0.0.1' };

/** A route over `mirror0`, `mirror1`, … with the last step the upstream. */
function route(...results: RouteStep['result'][]): Route {
  const steps = results.map((result, i): RouteStep => ({
    host: i === results.length - 1 ? 'docker.io' : `mirror${i}`,
    role: i === results.length - 1 ? 'upstream' : 'mirror',
    result,
  }));
  return { upstream: 'docker.io', steps, skipped: [] };
}

const decisiveHost = (r: Route) => decisiveStep(r)?.host;

t.test('found anywhere wins, whatever came before it', async (t) => {
  t.equal(decisiveHost(route(tagMissing, down, found)), 'docker.io');
  t.equal(decisiveHost(route(found, tagMissing)), 'mirror0');
  t.equal(decisiveHost(route('node-local', refused, found)), 'docker.io');
  t.same(routeResolution(route(down, found)), found);
});

t.test('an uncertain step stands before any certain failure; the first uncertain one', async (t) => {
  for (const [name, uncertain] of [
    ['unreachable', down],
    ['timeout', slow],
    ['rate-limited', limited],
    ['blocked', guarded],
  ] as const) {
    t.equal(decisiveHost(route(tagMissing, uncertain, refused)), 'mirror1', name);
    t.same(routeResolution(route(tagMissing, uncertain, refused)), uncertain, name);
  }
  t.equal(decisiveHost(route(slow, down, tagMissing)), 'mirror0');
  t.equal(decisiveHost(route(tagMissing, 'custom-path', 'node-local')), 'mirror1');
});

t.test('a step pullguard could not ask is an unreachable resolution naming why', async (t) => {
  t.same(routeResolution(route(tagMissing, 'node-local')), {
    outcome: 'unreachable',
    cause: 'protocol',
    detail: 'docker.io is reachable only from the node',
  });
  t.same(routeResolution(route('custom-path', tagMissing)), {
    outcome: 'unreachable',
    cause: 'protocol',
    detail: 'mirror0 has a custom API path',
  });
});

t.test('only certain failures: the first that is not a not-found, else the last not-found', async (t) => {
  t.equal(decisiveHost(route(tagMissing, refused, invalid, repoMissing)), 'mirror1');
  t.same(routeResolution(route(tagMissing, refused, repoMissing)), refused);
  t.same(routeResolution(route(invalid, refused)), invalid);
  t.equal(decisiveHost(route(repoMissing, tagMissing)), 'docker.io');
  t.same(routeResolution(route(repoMissing, tagMissing)), tagMissing, "the upstream's not-found");
  t.same(routeResolution(route(repoMissing)), repoMissing);
});

t.test('an empty route has no decisive step and no resolution', async (t) => {
  t.equal(decisiveStep(route()), undefined);
  t.equal(routeResolution(route()), undefined);
});
