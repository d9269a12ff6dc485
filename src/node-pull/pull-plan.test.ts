import t from 'tap';
import { containerdFixture, crioFixture } from '../../test/helpers/node-pull-fixtures.js';
import { readContainerdHosts } from './containerd-hosts.js';
import { readCrioRegistries } from './crio-registries.js';
import { type PlanEndpoint, type PullPlan, pullPlan } from './pull-plan.js';

const containerd = readContainerdHosts(containerdFixture()).model;
const crio = readCrioRegistries(crioFixture()).model;
const DIGEST = `sha256:${'a'.repeat(64)}`;

function endpoints(plan: PullPlan): readonly PlanEndpoint[] {
  if (plan.kind !== 'endpoints') throw new Error(`expected endpoints, got ${plan.kind}`);
  return plan.endpoints;
}

/** `role host reference` for used endpoints, with `(skipped: why)` for the others. */
const summary = (plan: PullPlan) =>
  endpoints(plan).map((e) => `${e.role} ${e.host} ${e.reference}${e.used ? '' : ` (skipped: ${e.skipped ?? ''})`}`);

t.test('containerd: mirrors then upstream; a pull-only mirror is skipped for a tag, used for a digest', async (t) => {
  t.same(summary(pullPlan(containerd, 'nginx:1.27')), [
    'mirror public-mirror.example.com docker.io/library/nginx:1.27 (skipped: lacks the "resolve" capability)',
    'mirror docker-mirror.internal docker.io/library/nginx:1.27',
    'upstream registry-1.docker.io docker.io/library/nginx:1.27',
  ]);
  const byDigest = endpoints(pullPlan(containerd, `nginx@${DIGEST}`));
  t.same(
    byDigest.map((e) => e.used),
    [true, true, true],
  );
  t.same(byDigest[1]?.ca, ['docker.io/docker-mirror.crt']);
});

t.test('containerd: _default for an unlisted host; skip_verify turns TLS verification off', async (t) => {
  t.same(summary(pullPlan(containerd, 'ghcr.io/org/app:v1')), [
    'mirror registry.example.com ghcr.io/org/app:v1',
    'upstream ghcr.io ghcr.io/org/app:v1',
  ]);
  const port = endpoints(pullPlan(containerd, 'registry.example.com:5000/team/app:2'));
  t.same(
    port.map((e) => [e.host, e.tlsVerify, e.path]),
    [
      ['192.168.31.250:5000', false, '/v2'],
      ['mirror.registry', true, '/custom/api'],
      ['registry.example.com:5000', true, '/v2'],
    ],
  );
});

t.test('containerd never resolves short names itself: a short name is docker.io', async (t) => {
  const plan = pullPlan(containerd, 'busybox');
  t.match(plan, { kind: 'endpoints', reference: 'docker.io/library/busybox:latest' });
});

t.test('CRI-O: a prefix rewrite sends mirrors and the upstream to their locations', async (t) => {
  const base = readCrioRegistries(crioFixture().slice(0, 1)).model;
  t.same(summary(pullPlan(base, 'example.com/foo/image:latest')), [
    'mirror example-mirror-0.local example-mirror-0.local/mirror-for-foo/image:latest',
    'mirror example-mirror-1.local example-mirror-1.local/mirrors/foo/image:latest',
    'upstream internal-registry-for-example.com internal-registry-for-example.com/bar/image:latest',
  ]);
  t.same(
    endpoints(pullPlan(base, 'example.com/foo/image:latest')).map((e) => e.tlsVerify),
    [true, false, true],
    'insecure on a mirror is that mirror only',
  );
});

t.test('CRI-O: the drop-in override is what the node uses', async (t) => {
  t.same(summary(pullPlan(crio, 'example.com/foo/image:1')), [
    'upstream replacement.example.com replacement.example.com/foo/image:1',
  ]);
});

t.test('CRI-O: a digest-only mirror is skipped for a tag and used for a digest', async (t) => {
  t.same(summary(pullPlan(crio, 'docker.io/library/redis:7')), [
    'mirror mirror.internal:5000 mirror.internal:5000/dockerhub/library/redis:7 (skipped: mirror-by-digest-only: mirrors serve digests only)',
    'upstream docker.io docker.io/library/redis:7',
  ]);
  t.same(
    endpoints(pullPlan(crio, `docker.io/library/redis@${DIGEST}`)).map((e) => [e.host, e.used]),
    [
      ['mirror.internal:5000', true],
      ['docker.io', true],
    ],
  );
  t.same(summary(pullPlan(crio, 'quay.io/org/app:1')), [
    'mirror quay-mirror.internal quay-mirror.internal/org/app:1 (skipped: pull-from-mirror = "digest-only": not used for a tag)',
    'upstream quay.io quay.io/org/app:1',
  ]);
});

t.test('CRI-O: a wildcard prefix keeps the name upstream and rewrites for its tag-only mirror', async (t) => {
  t.same(summary(pullPlan(crio, 'a.internal.example.com/team/app:3')), [
    'mirror cache.example.com cache.example.com/internal/team/app:3',
    'upstream a.internal.example.com a.internal.example.com/team/app:3',
  ]);
  t.match(endpoints(pullPlan(crio, `a.internal.example.com/team/app@${DIGEST}`))[0], {
    used: false,
    skipped: /tag-only/,
  });
});

t.test('CRI-O: a blocked registry', async (t) => {
  t.same(pullPlan(crio, 'registry.untrusted.com/x/y:1'), {
    kind: 'blocked',
    reference: 'registry.untrusted.com/x/y:1',
    prefix: 'registry.untrusted.com',
    file: 'registries.conf',
  });
});

t.test('CRI-O enforcing: an unaliased short name with several search registries is ambiguous', async (t) => {
  t.same(pullPlan(crio, 'fedora:40'), {
    kind: 'ambiguous',
    name: 'fedora',
    candidates: [
      'registry.fedoraproject.org/fedora:40',
      'registry.access.redhat.com/fedora:40',
      'docker.io/library/fedora:40',
    ],
  });
});

t.test('CRI-O: an alias resolves a short name, keeping its tag or digest', async (t) => {
  t.match(pullPlan(crio, 'nginx:1.27'), {
    kind: 'endpoints',
    reference: 'docker.io/library/nginx:1.27',
    alias: 'docker.io/library/nginx',
  });
  t.match(pullPlan(crio, `nginx@${DIGEST}`), { kind: 'endpoints', reference: `docker.io/library/nginx@${DIGEST}` });
  t.match(pullPlan(crio, 'docker.io/nginx:1'), { kind: 'endpoints', alias: undefined }, 'a qualified name is no alias');
});

t.test('CRI-O permissive, disabled, one or no search registry', async (t) => {
  const conf = (text: string) => readCrioRegistries([{ name: 'r.conf', text }]).model;
  const two = 'unqualified-search-registries = ["a.example", "b.example"]\n';
  const search = pullPlan(conf(`${two}short-name-mode = "permissive"`), 'app:1');
  t.match(search, { kind: 'search', name: 'app' });
  t.same(search.kind === 'search' ? search.plans.map((p) => (p.kind === 'endpoints' ? p.reference : p.kind)) : [], [
    'a.example/app:1',
    'b.example/app:1',
  ]);
  t.match(pullPlan(conf(`${two}short-name-mode = "disabled"`), 'app'), { kind: 'search' });
  t.match(pullPlan(conf('unqualified-search-registries = ["a.example"]\nshort-name-mode = "enforcing"'), 'app'), {
    kind: 'endpoints',
    reference: 'a.example/app:latest',
  });
  t.same(pullPlan(conf(''), 'app'), { kind: 'no-search-registries', name: 'app' });
});

t.test("CRI-O without short-name-mode: the nodes' CRI-O version decides", async (t) => {
  const unset = readCrioRegistries([
    { name: 'r.conf', text: 'unqualified-search-registries = ["a.example", "b.example"]' },
  ]).model;
  t.match(pullPlan(unset, 'app:1'), { kind: 'search' }, 'permissive by default');
  t.match(pullPlan(unset, 'app:1', { unsetShortNameMode: 'enforcing' }), { kind: 'ambiguous', name: 'app' });
  const permissive = readCrioRegistries([
    {
      name: 'r.conf',
      text: 'unqualified-search-registries = ["a.example", "b.example"]\nshort-name-mode = "permissive"',
    },
  ]).model;
  t.match(pullPlan(permissive, 'app:1', { unsetShortNameMode: 'enforcing' }), { kind: 'search' }, 'the file wins');
});

t.test('an invalid image or alias is a typed answer, not a throw', async (t) => {
  t.match(pullPlan(crio, 'Not/Valid'), { kind: 'invalid', reason: /invalid reference format/ });
  const broken = readCrioRegistries([{ name: 'a.conf', text: '[aliases]\nweb = "Bad Name"' }]).model;
  t.match(pullPlan(broken, 'web:1'), { kind: 'invalid', reason: /alias "web"/ });
});

t.test('node-local hosts are marked: only the node can reach them', async (t) => {
  const local = (plan: PullPlan) => endpoints(plan).map((e) => [e.host, e.nodeLocal]);
  t.same(local(pullPlan(containerd, 'localhost:30500/app:1')).at(-1), ['localhost:30500', true]);
  t.same(local(pullPlan(crio, '127.0.0.1:5000/app:1')), [['127.0.0.1:5000', true]]);
  t.same(local(pullPlan(crio, '[::1]:5000/app:1')), [['[::1]:5000', true]]);
  t.same(local(pullPlan(crio, 'localhost.example.com/app:1')), [['localhost.example.com', false]]);
  t.same(local(pullPlan(crio, '127.0.0.1.nip.io/app:1')), [['127.0.0.1.nip.io', false]]);
});
