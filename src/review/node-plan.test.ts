import t from 'tap';
import {
  containerd,
  context,
  crio,
  DIGEST,
  fixtureModel,
  planFor,
  routeOf,
  targets,
} from '../../test/helpers/node-plan-setup.js';
import { pullPlan } from '../node-pull/pull-plan.js';

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

t.test('an invalid plan (a broken alias) leaves the image to the usual check', async (t) => {
  const model = crio('[aliases]\n  "app" = "Not/A/Valid/Name"\n');
  t.equal(pullPlan(model, 'app:1').kind, 'invalid');
  t.equal(planFor(model, 'app:1'), undefined);
});
