import t from 'tap';
import { containerdFixture, crioFixture } from '../../test/helpers/node-pull-fixtures.js';
import { canonicalReference, type ImageReference, parseImageReference } from '../image/reference.js';
import { readContainerdHosts } from '../node-pull/containerd-hosts.js';
import { readCrioRegistries } from '../node-pull/crio-registries.js';
import { type PullPlan, pullPlan, type RuntimeModel } from '../node-pull/pull-plan.js';
import { type NodePlan, type NodePlanContext, nodePlanOf, type PlannedRoute } from './node-plan.js';

const DIGEST = `sha256:${'b'.repeat(64)}`;

const context = (listed: readonly string[] = []): NodePlanContext => ({
  isListed: (host) => listed.includes(host),
  caPath: (ca, host) => `/mounted/${host}/${ca}`,
});

function parsed(image: string): ImageReference {
  const result = parseImageReference(image);
  if (!result.ok) throw new Error(`${image}: ${result.reason}`);
  return result.reference;
}

function planFor(model: RuntimeModel | undefined, image: string, ctx = context()): NodePlan | undefined {
  const plan: PullPlan | undefined = model && pullPlan(model, image);
  return nodePlanOf(plan, parsed(image), ctx);
}

function routeOf(plan: NodePlan | undefined): PlannedRoute {
  if (plan?.kind !== 'route') throw new Error(`expected a route, got ${plan?.kind ?? 'undefined'}`);
  return plan.route;
}

/** `role host reference` per target, or `role host (unaskable)`. */
const targets = (route: PlannedRoute) =>
  route.targets.map(
    (x) => `${x.role} ${x.host} ${x.reference ? canonicalReference(x.reference) : `(${x.unaskable ?? ''})`}`,
  );

const containerd = (files: Record<string, string>) => {
  const read = readContainerdHosts(files);
  if (read.problems.length > 0) throw new Error(JSON.stringify(read.problems));
  return read.model;
};
/** The fixture directory; its quay.io/hosts.toml is malformed on purpose and left out of the model. */
const fixtureModel = () => readContainerdHosts(containerdFixture()).model;
const crio = (text: string) => {
  const read = readCrioRegistries([{ name: 'registries.conf', text }]);
  if (read.problems.length > 0) throw new Error(JSON.stringify(read.problems));
  return read.model;
};

t.test('without a model: an unlisted localhost image is node-local, anything else is direct', async (t) => {
  const route = routeOf(planFor(undefined, 'localhost:5000/app:1'));
  t.same(route, {
    upstream: 'localhost:5000',
    targets: [{ host: 'localhost:5000', role: 'upstream', unaskable: 'node-local' }],
    skipped: [],
  });
  t.equal(routeOf(planFor(undefined, '127.0.0.1:30500/cache/app:1')).targets[0]?.unaskable, 'node-local');
  t.equal(planFor(undefined, 'localhost:5000/app:1', context(['localhost:5000'])), undefined, 'listed: asked');
  t.equal(planFor(undefined, 'registry.example.com/app:1'), undefined);
  t.equal(planFor(undefined, 'nginx:1.27'), undefined);
});

t.test('containerd: docker.io mirrors in order, each asked for the same repository on its own host', async (t) => {
  const route = routeOf(planFor(fixtureModel(), 'nginx:1.27'));
  t.equal(route.upstream, 'docker.io');
  t.same(targets(route), [
    'mirror docker-mirror.internal docker-mirror.internal/library/nginx:1.27',
    'upstream registry-1.docker.io docker.io/library/nginx:1.27',
  ]);
  t.same(route.targets[0]?.access, {
    plainHttp: false,
    insecureSkipVerify: false,
    caFile: '/mounted/docker-mirror.internal/docker.io/docker-mirror.crt',
  });
  t.equal(route.targets[1]?.access, undefined);
  t.same(route.skipped, [{ host: 'public-mirror.example.com', reason: 'lacks the "resolve" capability' }]);
  t.notOk(
    route.targets.some((x) => x.httpFallback),
    'containerd never falls back to http on its own',
  );

  const byDigest = routeOf(planFor(fixtureModel(), `nginx@${DIGEST}`));
  t.same(
    byDigest.targets.map((x) => x.host),
    ['public-mirror.example.com', 'docker-mirror.internal', 'registry-1.docker.io'],
    'a pull-only mirror serves a digest',
  );
  t.same(byDigest.skipped, []);
});

t.test('containerd: http, skip_verify and an absolute CA become the endpoint access', async (t) => {
  const model = containerd({
    'registry.example.com': `server = "https://registry.example.com"
[host."http://plain.internal:5000"]
  capabilities = ["pull", "resolve"]
[host."https://selfsigned.internal"]
  capabilities = ["pull", "resolve"]
  skip_verify = true
[host."https://ca.internal"]
  capabilities = ["pull", "resolve"]
  ca = "/etc/certs/ca.pem"
`,
  });
  const route = routeOf(planFor(model, 'registry.example.com/team/app:2'));
  t.same(
    route.targets.map((x) => [x.host, x.access]),
    [
      ['plain.internal:5000', { plainHttp: true, insecureSkipVerify: false }],
      ['selfsigned.internal', { plainHttp: false, insecureSkipVerify: true }],
      [
        'ca.internal',
        { plainHttp: false, insecureSkipVerify: false, caFile: '/mounted/ca.internal//etc/certs/ca.pem' },
      ],
      ['registry.example.com', undefined],
    ],
  );
  const listed = routeOf(planFor(model, 'registry.example.com/team/app:2', context(['plain.internal:5000'])));
  t.equal(listed.targets[0]?.access, undefined, "a listed host's registries: entry applies instead");
});

t.test('containerd: override_path under /v2 prefixes the repository; another root is a custom path', async (t) => {
  const model = containerd({
    'docker.io': `[host."https://proxy.internal/v2/proxy"]
  capabilities = ["pull", "resolve"]
  override_path = true
[host."https://artifactory.internal/artifactory/api/docker/v2"]
  capabilities = ["pull", "resolve"]
  override_path = true
`,
  });
  const route = routeOf(planFor(model, 'nginx:1.27'));
  t.same(targets(route), [
    'mirror proxy.internal proxy.internal/proxy/library/nginx:1.27',
    'mirror artifactory.internal (custom-path)',
    'upstream registry-1.docker.io docker.io/library/nginx:1.27',
  ]);
  const fixture = routeOf(planFor(fixtureModel(), 'registry.example.com:5000/team/app:2'));
  t.same(targets(fixture), [
    'mirror 192.168.31.250:5000 192.168.31.250:5000/team/app:2',
    'mirror mirror.registry (custom-path)',
    'upstream registry.example.com:5000 registry.example.com:5000/team/app:2',
  ]);
});

t.test('containerd: the default upstream alone is direct; a localhost mirror is node-local', async (t) => {
  const empty = containerd({});
  t.equal(planFor(empty, 'nginx:1.27'), undefined);
  t.equal(planFor(empty, 'ghcr.io/org/app:v1'), undefined);
  t.same(
    targets(routeOf(planFor(fixtureModel(), 'ghcr.io/org/app:v1'))),
    ['mirror registry.example.com registry.example.com/org/app:v1', 'upstream ghcr.io ghcr.io/org/app:v1'],
    'a host without its own directory takes _default',
  );
  t.equal(routeOf(planFor(empty, 'localhost:5000/app:1')).targets[0]?.unaskable, 'node-local');
  t.equal(planFor(empty, 'localhost:5000/app:1', context(['localhost:5000'])), undefined);

  const local = containerd({
    'docker.io': `[host."http://localhost:30500"]
  capabilities = ["pull", "resolve"]
`,
  });
  t.same(targets(routeOf(planFor(local, 'nginx:1.27'))), [
    'mirror localhost:30500 (node-local)',
    'upstream registry-1.docker.io docker.io/library/nginx:1.27',
  ]);
});

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
  t.equal(route.alias, 'quay.io/team/app');
  t.same(targets(route), ['upstream quay.io quay.io/team/app:2']);
  t.equal(route.upstream, 'docker.io', 'the image as written names docker.io');
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

t.test('an invalid plan (a broken alias) leaves the image to the usual check', async (t) => {
  const model = crio('[aliases]\n  "app" = "Not/A/Valid/Name"\n');
  t.equal(pullPlan(model, 'app:1').kind, 'invalid');
  t.equal(planFor(model, 'app:1'), undefined);
});
