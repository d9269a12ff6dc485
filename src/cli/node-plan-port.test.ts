import t from 'tap';
import { buildConfig } from '../config/load-config.js';
import type { Config } from '../config/load-config.js';
import { parseImageReference, canonicalReference } from '../image/reference.js';
import { readContainerdHosts } from '../node-pull/containerd-hosts.js';
import { readCrioRegistries, type ShortNameMode } from '../node-pull/crio-registries.js';
import type { RegistryCheck } from '../policy/static-findings.js';
import type { LoadedRuntime } from './load-runtime-model.js';
import { createNodePlanPort } from './node-plan-port.js';

function config(raw: unknown = {}): Config {
  const result = buildConfig(raw);
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.config;
}

function check(image: string): RegistryCheck {
  const parsed = parseImageReference(image);
  if (!parsed.ok) throw new Error(parsed.reason);
  return {
    use: { image, name: 'app', section: 'containers', path: 'spec.containers[0].image' },
    reference: parsed.reference,
    canonical: canonicalReference(parsed.reference),
    findings: [],
  };
}

const crio: LoadedRuntime = {
  model: readCrioRegistries([
    {
      name: '/etc/containers/registries.conf',
      text: 'unqualified-search-registries = ["quay.io", "docker.io"]\n',
    },
  ]).model,
};

t.test('plans are remembered per image as written', async (t) => {
  let modeAsked = 0;
  const port = createNodePlanPort({
    config: config(),
    runtime: crio,
    unsetShortNameMode: () => {
      modeAsked++;
      return 'permissive';
    },
  });
  const first = port(check('busybox:1.36'));
  t.equal(first?.kind, 'route');
  t.equal(port(check('busybox:1.36')), first, 'the same object the second time');
  t.equal(port(check('docker.io/busybox:1.36')), undefined, 'the qualified spelling is its own entry: direct');
  t.equal(modeAsked, 3, 'the mode is read on every call: the nodes may upgrade');
});

t.test("an unset short-name mode follows the nodes' CRI-O version", async (t) => {
  let mode: ShortNameMode = 'permissive';
  const port = createNodePlanPort({ config: config(), runtime: crio, unsetShortNameMode: () => mode });
  const permissive = port(check('busybox:1.36'));
  if (permissive?.kind !== 'route') throw new Error('expected a route');
  t.same(
    permissive.route.targets.map((x) => x.host),
    ['quay.io', 'docker.io'],
  );
  mode = 'enforcing';
  t.same(port(check('busybox:1.36')), {
    kind: 'ambiguous',
    name: 'busybox',
    candidates: ['quay.io/busybox:1.36', 'docker.io/library/busybox:1.36'],
  });
  mode = 'permissive';
  t.equal(port(check('busybox:1.36')), permissive, 'each mode keeps its own plans');
});

t.test('containerd: relative CA paths start from the hosts directory; absolute ones stay', async (t) => {
  const model = readContainerdHosts({
    'docker.io': `[host."https://mirror.internal"]
  capabilities = ["pull", "resolve"]
  ca = "mirror.crt"
[host."https://other.internal"]
  capabilities = ["pull", "resolve"]
  ca = "/etc/pki/other.crt"
`,
  }).model;
  const port = createNodePlanPort({
    config: config(),
    runtime: { model, baseDir: '/etc/containerd/certs.d' },
    unsetShortNameMode: () => {
      throw new Error('not asked for containerd');
    },
  });
  const plan = port(check('nginx:1.27'));
  if (plan?.kind !== 'route') throw new Error('expected a route');
  t.same(
    plan.route.targets.map((x) => x.access?.caFile),
    ['/etc/containerd/certs.d/docker.io/mirror.crt', '/etc/pki/other.crt', undefined],
  );
});

t.test('without a model only an unlisted localhost image has a plan', async (t) => {
  const port = createNodePlanPort({
    config: config({ registries: [{ host: 'localhost:5001' }] }),
    runtime: undefined,
    unsetShortNameMode: () => 'enforcing',
  });
  t.equal(port(check('busybox:1.36')), undefined, 'no CRI-O rules without a model');
  t.equal(port(check('quay.io/org/app:1')), undefined);
  t.equal(port(check('localhost:5001/app:1')), undefined, 'listed under registries:');
  const local = port(check('localhost:5000/app:1'));
  t.same(local, {
    kind: 'route',
    route: {
      upstream: 'localhost:5000',
      targets: [{ host: 'localhost:5000', role: 'upstream', unaskable: 'node-local' }],
      skipped: [],
    },
  });
});
