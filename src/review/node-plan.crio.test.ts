import t from 'tap';
import { crioFixture } from '../../test/helpers/node-pull-fixtures.js';
import { crio, DIGEST, planFor, routeOf, targets } from '../../test/helpers/node-plan-setup.js';
import { readCrioRegistries } from '../node-pull/crio-registries.js';

t.test('CRI-O: a rewritten location is asked there; insecure allows the http fallback', async (t) => {
  const model = crio(`
[[registry]]
prefix = "example.com/foo"
location = "internal.example.com/bar"
insecure = true

[[registry.mirror]]
location = "mirror.internal:5000/foo"
insecure = true

[[registry.mirror]]
location = "secure-mirror.internal/foo"
`);
  const route = routeOf(planFor(model, 'example.com/foo/app:3'));
  t.same(targets(route), [
    'mirror mirror.internal:5000 mirror.internal:5000/foo/app:3',
    'mirror secure-mirror.internal secure-mirror.internal/foo/app:3',
    'upstream internal.example.com internal.example.com/bar/app:3',
  ]);
  t.same(
    route.targets.map((x) => [x.access, x.httpFallback]),
    [
      [{ plainHttp: false, insecureSkipVerify: true }, true],
      [undefined, undefined],
      [{ plainHttp: false, insecureSkipVerify: true }, true],
    ],
  );
  t.equal(route.upstream, 'example.com');
});

t.test('CRI-O: digest-only mirrors are skipped for a tag and used for a digest', async (t) => {
  const model = readCrioRegistries(crioFixture()).model;
  const tag = routeOf(planFor(model, 'docker.io/library/nginx:1.27'));
  t.same(targets(tag), ['upstream docker.io docker.io/library/nginx:1.27']);
  t.same(tag.skipped, [{ host: 'mirror.internal:5000', reason: 'mirror-by-digest-only: mirrors serve digests only' }]);
  const digest = routeOf(planFor(model, `docker.io/library/nginx@${DIGEST}`));
  t.same(targets(digest), [
    `mirror mirror.internal:5000 mirror.internal:5000/dockerhub/library/nginx@${DIGEST}`,
    `upstream docker.io docker.io/library/nginx@${DIGEST}`,
  ]);
  t.equal(planFor(model, 'ghcr.io/org/app:v1'), undefined, 'no [[registry]]: direct');
});

t.test('CRI-O: an alias keeps a route even for a single upstream step', async (t) => {
  const model = crio(`
unqualified-search-registries = ["registry.fedoraproject.org", "docker.io"]
short-name-mode = "enforcing"
[aliases]
  "app" = "quay.io/team/app"
`);
  const route = routeOf(planFor(model, 'app:2'));
  t.equal(route.pulled, 'quay.io/team/app:2');
  t.same(targets(route), ['upstream quay.io quay.io/team/app:2']);
  t.equal(route.upstream, 'quay.io', "the alias's registry is the one the node pulls from");
});

t.test('CRI-O refusals are handed through as they are', async (t) => {
  const model = readCrioRegistries(crioFixture()).model;
  t.match(planFor(model, 'registry.untrusted.com/app:1'), {
    kind: 'blocked',
    reference: 'registry.untrusted.com/app:1',
    prefix: 'registry.untrusted.com',
    file: 'registries.conf',
  });
  t.same(planFor(model, 'busybox:1.36'), {
    kind: 'ambiguous',
    name: 'busybox',
    candidates: [
      'registry.fedoraproject.org/busybox:1.36',
      'registry.access.redhat.com/busybox:1.36',
      'docker.io/library/busybox:1.36',
    ],
  });
  t.same(planFor(crio('short-name-mode = "enforcing"\n'), 'busybox'), {
    kind: 'no-search-registries',
    name: 'busybox',
  });
});

t.test('CRI-O permissive: a search plan is flattened in the search order', async (t) => {
  const model = crio(`
unqualified-search-registries = ["quay.io", "docker.io"]
short-name-mode = "permissive"
[[registry]]
prefix = "quay.io"
[[registry.mirror]]
location = "quay-mirror.internal"
`);
  const route = routeOf(planFor(model, 'busybox:1.36'));
  t.same(targets(route), [
    'mirror quay-mirror.internal quay-mirror.internal/busybox:1.36',
    'upstream quay.io quay.io/busybox:1.36',
    'upstream docker.io docker.io/library/busybox:1.36',
  ]);
  t.equal(route.alias, undefined);
  t.same(
    route.targets.map((x) => x.mirrorOf),
    ['quay.io', undefined, undefined],
    "a candidate's mirror names the registry it stands in for",
  );
});

t.test('CRI-O permissive: a blocked candidate is not asked; all candidates blocked is a refusal', async (t) => {
  const model = crio(`
unqualified-search-registries = ["registry.untrusted.com", "docker.io"]
short-name-mode = "permissive"
[[registry]]
prefix = "registry.untrusted.com"
blocked = true
`);
  const route = routeOf(planFor(model, 'busybox:1.36'));
  t.same(targets(route), ['upstream docker.io docker.io/library/busybox:1.36']);
  t.same(route.skipped, [
    { host: 'registry.untrusted.com', reason: 'blocked = true for prefix "registry.untrusted.com" in registries.conf' },
  ]);

  const allBlocked = crio(`
unqualified-search-registries = ["registry.untrusted.com", "quay.io"]
[[registry]]
prefix = "registry.untrusted.com"
blocked = true
[[registry]]
prefix = "quay.io"
blocked = true
`);
  t.same(planFor(allBlocked, 'busybox:1.36'), {
    kind: 'blocked',
    reference: 'registry.untrusted.com/busybox:1.36',
    prefix: 'registry.untrusted.com',
    file: 'registries.conf',
  });
});
