import t from 'tap';
import type { Resolution } from '../resolution/resolution.js';
import type { Route, RouteStep } from '../resolution/route.js';
import type { ImageUse } from '../workload/image-use.js';
import type { Finding } from './finding.js';
import { missingEverywhere, refusalFinding, routeSentence, unaskedFinding, withRoute } from './node-pull-findings.js';

const use: ImageUse = { image: 'nginx:1.27', name: 'web', section: 'containers', path: 'spec.containers[0].image' };
const canonical = 'docker.io/library/nginx:1.27';
const found: Resolution = { outcome: 'found' };
const tagMissing: Resolution = { outcome: 'not-found', missing: 'tag' };
const repoMissing: Resolution = { outcome: 'not-found', missing: 'repository' };

const mirrorStep = (result: RouteStep['result']): RouteStep => ({
  host: 'mirror.internal:5000',
  role: 'mirror',
  result,
});
const upstreamStep = (result: RouteStep['result'], host = 'docker.io'): RouteStep => ({
  host,
  role: 'upstream',
  result,
});
const route = (steps: RouteStep[], extra: Partial<Route> = {}): Route => ({
  upstream: 'docker.io',
  steps,
  skipped: [],
  ...extra,
});

t.test('a blocked registry names the entry and the file', async (t) => {
  const blockedUse = { ...use, image: 'registry.untrusted.com/app:1' };
  const finding = refusalFinding(blockedUse, 'registry.untrusted.com/app:1', {
    kind: 'blocked',
    reference: 'registry.untrusted.com/app:1',
    prefix: 'registry.untrusted.com',
    file: '/etc/containers/registries.conf',
  });
  t.same(finding, {
    use: blockedUse,
    canonical: 'registry.untrusted.com/app:1',
    class: 'blockedRegistry',
    cause:
      'the nodes\' CRI-O refuses to pull registry.untrusted.com/app:1: the [[registry]] entry with prefix "registry.untrusted.com" in /etc/containers/registries.conf has blocked = true.',
    fix: 'Fix: use an image from a registry the cluster allows, or ask the cluster admin to unblock registry.untrusted.com.',
    short: 'registry.untrusted.com/app:1: registry registry.untrusted.com is blocked on the nodes (registries.conf)',
    runtimeFailure: { kind: 'blockedRegistry', prefix: 'registry.untrusted.com' },
  });
});

t.test('an ambiguous short name lists the candidates; the fix prefers docker.io', async (t) => {
  const candidates = ['quay.io/nginx:1.27', 'docker.io/library/nginx:1.27', 'registry.fedoraproject.org/nginx:1.27'];
  const finding = refusalFinding(use, canonical, { kind: 'ambiguous', name: 'nginx', candidates });
  t.equal(finding.class, 'ambiguousShortName');
  t.equal(
    finding.cause,
    '"nginx:1.27" has no registry host, and the nodes\' CRI-O enforces short names (short-name-mode "enforcing") with several unqualified-search-registries and no alias for "nginx": the pull fails as ambiguous. It could be quay.io/nginx:1.27, docker.io/library/nginx:1.27, registry.fedoraproject.org/nginx:1.27.',
  );
  t.equal(finding.fix, 'Fix: write the fully qualified name, e.g. docker.io/library/nginx:1.27.');
  t.equal(
    finding.short,
    'short name "nginx:1.27" is ambiguous on CRI-O (enforcing); write e.g. docker.io/library/nginx:1.27',
  );

  const noHub = refusalFinding(use, canonical, {
    kind: 'ambiguous',
    name: 'nginx',
    candidates: ['quay.io/nginx:1.27', 'ghcr.io/nginx:1.27'],
  });
  t.equal(noHub.fix, 'Fix: write the fully qualified name, e.g. quay.io/nginx:1.27.', "else the runtime's first");
});

t.test('a short name without search registries', async (t) => {
  const finding = refusalFinding(use, canonical, { kind: 'no-search-registries', name: 'nginx' });
  t.same(finding, {
    use,
    canonical,
    class: 'ambiguousShortName',
    cause:
      '"nginx:1.27" has no registry host, and the nodes\' CRI-O has no alias for "nginx" and no unqualified-search-registries: it cannot resolve the name.',
    fix: 'Fix: write the fully qualified name, e.g. docker.io/library/nginx:1.27.',
    short: 'short name "nginx:1.27" does not resolve on CRI-O; write e.g. docker.io/library/nginx:1.27',
  });
});

t.test('a node-local endpoint warns with nodeLocal; a custom path is unreachable', async (t) => {
  const local: RouteStep = { host: 'localhost:30500', role: 'mirror', result: 'node-local' };
  const direct = upstreamStep('node-local', 'localhost:30500');
  const nodeLocal = unaskedFinding(
    use,
    'localhost:30500/app:1',
    direct,
    route([direct], { upstream: 'localhost:30500' }),
  );
  t.same(nodeLocal, {
    use,
    canonical: 'localhost:30500/app:1',
    outcome: 'unreachable',
    class: 'nodeLocal',
    cause:
      'the node pulls localhost:30500/app:1 from localhost:30500, which only the node itself reaches (localhost); pullguard cannot verify it from the webhook.',
    fix: 'Fix: nothing if the node serves it (a registry or cache on the node); if pullguard can reach localhost:30500, list it under registries: in the pullguard config.',
    short: 'unverified: localhost:30500 is reachable only from the node (localhost:30500/app:1)',
  });

  const viaMirror = unaskedFinding(use, canonical, local, route([local]));
  t.equal(
    viaMirror.cause,
    'the node pulls docker.io/library/nginx:1.27 from localhost:30500 (mirror of docker.io), which only the node itself reaches (localhost); pullguard cannot verify it from the webhook. The node tries localhost:30500 (mirror of docker.io): reachable only from the node, not verified.',
  );

  const custom: RouteStep = { host: 'mirror.registry', role: 'mirror', result: 'custom-path' };
  const customFinding = unaskedFinding(use, canonical, custom, route([custom, upstreamStep(tagMissing)]));
  t.same(customFinding, {
    use,
    canonical,
    outcome: 'unreachable',
    class: 'unreachable',
    cause:
      'the node asks mirror.registry (mirror of docker.io) under a custom API path (override_path), which pullguard does not follow; docker.io/library/nginx:1.27 is not verified. The node tries mirror.registry (mirror of docker.io): a custom API path (override_path), not verified; then docker.io: tag not found.',
    short: 'cannot verify docker.io/library/nginx:1.27: mirror.registry uses a custom API path; admitted unverified',
  });
});

t.test('routeSentence: empty for a direct single step, else every step in order', async (t) => {
  t.equal(routeSentence(route([upstreamStep(tagMissing)])), '');
  t.equal(routeSentence(route([upstreamStep(tagMissing, 'registry-1.docker.io')])), '', "docker.io's API host");
  t.equal(
    routeSentence(route([mirrorStep(tagMissing), upstreamStep(found)])),
    ' The node tries mirror.internal:5000 (mirror of docker.io): tag not found; then docker.io: found.',
  );
  t.equal(
    routeSentence(
      route([upstreamStep(repoMissing)], {
        skipped: [{ host: 'mirror.internal:5000', reason: 'mirror-by-digest-only: mirrors serve digests only' }],
      }),
    ),
    ' The node tries docker.io: repository not found. Not asked: mirror.internal:5000 (mirror-by-digest-only: mirrors serve digests only).',
  );
  t.equal(
    routeSentence(route([upstreamStep(found, 'quay.io')], { pulled: 'quay.io/team/app:1' })),
    ' The short name resolves to quay.io/team/app:1 through an alias in registries.conf. The node tries quay.io: found.',
  );
  t.equal(
    routeSentence(route([upstreamStep(tagMissing, 'internal.example.com')], { upstream: 'example.com' })),
    ' The node tries internal.example.com: tag not found.',
    'a rewritten location is not the direct registry',
  );
  const searched: RouteStep = { host: 'quay-mirror.internal', role: 'mirror', mirrorOf: 'quay.io', result: tagMissing };
  t.equal(
    routeSentence(route([searched, upstreamStep(tagMissing, 'quay.io'), upstreamStep(found)])),
    ' The node tries quay-mirror.internal (mirror of quay.io): tag not found; then quay.io: tag not found; then docker.io: found.',
    'a CRI-O search: each mirror names its own registry',
  );
  const others: [Resolution, string][] = [
    [{ outcome: 'unauthorized', reason: 'no-access' }, 'access refused'],
    [{ outcome: 'rate-limited' }, 'rate-limited'],
    [{ outcome: 'unreachable', cause: 'dns', detail: 'no such host' }, 'unreachable (no such host)'],
    [{ outcome: 'timeout', afterMs: 3000 }, 'no answer in time'],
    [{ outcome: 'blocked', host: 'm', address: '10.0.0.1' }, 'a blocked address (network.blockedCidrs)'],
    [{ outcome: 'invalid', reason: 'bad name' }, 'invalid reference (bad name)'],
  ];
  for (const [result, words] of others) {
    t.equal(
      routeSentence(route([mirrorStep(result), upstreamStep(found)])),
      ` The node tries mirror.internal:5000 (mirror of docker.io): ${words}; then docker.io: found.`,
    );
  }
});

t.test('missingEverywhere: only when two or more endpoints all said not found', async (t) => {
  t.equal(
    missingEverywhere(route([mirrorStep(tagMissing), upstreamStep(repoMissing)])),
    'mirror.internal:5000 (mirror of docker.io) and on docker.io',
  );
  t.equal(missingEverywhere(route([upstreamStep(tagMissing)])), undefined);
  t.equal(missingEverywhere(route([mirrorStep(tagMissing), upstreamStep({ outcome: 'rate-limited' })])), undefined);
  t.equal(missingEverywhere(route([mirrorStep('node-local'), upstreamStep(tagMissing)])), undefined);
});

t.test('withRoute adds where the image is missing, or the route sentence, to the cause', async (t) => {
  const finding: Finding = { class: 'notFound', use, canonical, cause: 'tag "1.27" does not exist.', short: 's' };
  t.equal(
    withRoute(finding, route([mirrorStep(tagMissing), upstreamStep(tagMissing)])).cause,
    'tag "1.27" does not exist. It is missing on mirror.internal:5000 (mirror of docker.io) and on docker.io.',
  );
  t.equal(
    withRoute(
      finding,
      route([mirrorStep({ outcome: 'unauthorized', reason: 'anonymous-refused' }), upstreamStep(tagMissing)]),
    ).cause,
    'tag "1.27" does not exist. The node tries mirror.internal:5000 (mirror of docker.io): access refused; then docker.io: tag not found.',
  );
  t.equal(withRoute(finding, route([upstreamStep(tagMissing)])), finding, 'a direct route leaves it as it is');
});
