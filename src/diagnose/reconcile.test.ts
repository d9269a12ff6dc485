import t from 'tap';
import type { Finding } from '../policy/finding.js';
import { runtimeLine, type Runtime, type RuntimeFailure } from '../policy/runtime-words.js';
import type { ContainerFacts } from './container-facts.js';
import { reconcile } from './reconcile.js';
import { containerFacts } from '../../test/diagnose/container-facts.js';

const container: ContainerFacts = containerFacts();

/** The kubelet's event text for this failure, in the runtime's own words (runtime-words.ts). */
function said(failure: RuntimeFailure, runtime: Runtime = 'containerd'): string {
  const line = runtimeLine(runtime, failure, { image: container.image, canonical: container.canonical ?? '' });
  if (line === undefined) throw new Error(`no ${runtime} line for ${failure.kind}`);
  return line;
}

const USE = { image: container.image, name: 'app', section: 'containers', path: 'spec.containers[0].image' } as const;
const notFound: Finding = {
  class: 'notFound',
  outcome: 'not-found',
  use: USE,
  cause: 'tag "1.99.9" does not exist in docker.io/library/nginx. Closest tags: 1.29.3.',
  short: 'tag not found',
  suggestions: ['1.29.3'],
};
const unauthorized: Finding = {
  class: 'unauthorized',
  outcome: 'unauthorized',
  use: USE,
  cause: 'private.',
  short: 'x',
};
const latest: Finding = { class: 'latestTag', use: USE, cause: 'the tag is latest.', short: 'latest' };
const DISK_FULL =
  'Failed to pull image "nginx:1.99.9": failed to pull and unpack image "docker.io/library/nginx:1.99.9": failed to extract layer sha256:682fbb19: write /var/lib/containerd/tmpmounts/x/usr/lib/libc.so: no space left on device';

t.test('still broken: pullguard finds the cause the node reported, on either runtime', async (t) => {
  for (const runtime of ['containerd', 'cri-o'] as const) {
    const r = reconcile({ container, nodeMessage: said({ kind: 'notFound' }, runtime), findings: [latest, notFound] });
    t.equal(r.verdict, 'still-broken', runtime);
    t.equal(r.finding, notFound, 'the finding that agrees, not the advice before it');
    t.equal(r.reason, `still broken: ${notFound.cause}`);
    t.equal(r.node.kind, 'notFound');
  }
  const denied = reconcile({ container, nodeMessage: said({ kind: 'unauthorized' }), findings: [unauthorized] });
  t.equal(denied.verdict, 'still-broken');
  const unread = reconcile({ container, nodeMessage: 'something odd happened', findings: [notFound] });
  t.match(unread, { verdict: 'still-broken', finding: notFound }, 'an unrecognised node text: the finding explains');
});

t.test('fixed since: the image resolves now, so the pod can be retried at once', async (t) => {
  const r = reconcile({ container, nodeMessage: said({ kind: 'notFound' }), findings: [latest] });
  t.equal(r.verdict, 'fixed-since');
  t.equal(r.finding, undefined);
  t.match(r.reason, /^fixed since: the image exists now\. .*delete pod web-7d9c-abcde in namespace shop/);
  const platform = said({ kind: 'platformMismatch', os: 'linux', architecture: 'arm64' });
  t.match(reconcile({ container, nodeMessage: platform, findings: [] }), {
    verdict: 'fixed-since',
    reason: /variant for the node's platform now/,
  });
  const anonymous = reconcile({ container, nodeMessage: said({ kind: 'unauthorized' }), findings: [] });
  t.match(anonymous, { verdict: 'fixed-since', reason: /accepts the pod's credentials now/ });
});

t.test("node-side: disk, the node's DNS, the node's own credentials, the node's trust store", async (t) => {
  const disk = reconcile({ container, nodeMessage: DISK_FULL, findings: [] });
  t.match(disk, { verdict: 'node-side', reason: /ran out of disk space.*only the node can tell/ });
  t.match(reconcile({ container, nodeMessage: DISK_FULL, findings: [notFound] }), {
    verdict: 'node-side',
    reason: /pullguard also finds: tag "1\.99\.9" does not exist/,
  });
  const dns = said({ kind: 'dnsFailure' });
  t.match(reconcile({ container, nodeMessage: dns, findings: [] }), { verdict: 'node-side', reason: /resolve/ });
  const alsoDns: Finding = {
    ...unauthorized,
    class: 'unreachable',
    cause: 'no such host.',
    runtimeFailure: { kind: 'dnsFailure' },
  };
  t.match(reconcile({ container, nodeMessage: dns, findings: [alsoDns] }), {
    verdict: 'still-broken',
    finding: alsoDns,
  });
  const refused =
    'Failed to pull image "nginx:1.99.9": failed to pull and unpack image "docker.io/library/nginx:1.99.9": failed to resolve reference "docker.io/library/nginx:1.99.9": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://auth.docker.io/token: 401 Unauthorized';
  t.match(reconcile({ container, nodeMessage: refused, findings: [] }), {
    verdict: 'node-side',
    reason: /credentials the node sent itself/,
  });
  const withSecret = { ...container, podPullSecrets: ['regcred'] };
  t.equal(
    reconcile({ container: withSecret, nodeMessage: refused, findings: [] }).verdict,
    'fixed-since',
    'with a pod secret, the refused credentials were the pod’s: they work now',
  );
  const nodeCreds: Finding = { ...unauthorized, class: 'nodeCredentials', cause: 'needs node credentials.' };
  t.match(reconcile({ container, nodeMessage: said({ kind: 'unauthorized' }), findings: [nodeCreds] }), {
    verdict: 'node-side',
    finding: nodeCreds,
  });
  t.match(reconcile({ container, nodeMessage: said({ kind: 'unknownAuthority' }), findings: [] }), {
    verdict: 'node-side',
    reason: /does not trust the certificate authority/,
  });
});

t.test('disagree: the node failed for a reason pullguard does not reproduce, and both views are shown', async (t) => {
  const r = reconcile({ container, nodeMessage: said({ kind: 'notFound' }), findings: [unauthorized] });
  t.equal(r.verdict, 'disagree');
  t.equal(r.finding, unauthorized);
  t.equal(
    r.reason,
    "pullguard does not reproduce the node's failure. The node: the image was not found. pullguard now: private.",
  );
  const never = 'Container image "nginx:1.99.9" is not present with pull policy of Never';
  t.match(reconcile({ container, nodeMessage: never, findings: [] }), {
    verdict: 'disagree',
    reason: /pull policy is Never\. pullguard now: the image resolves with no problem\./,
  });
  t.match(reconcile({ container, nodeMessage: 'weird', findings: [latest] }), {
    verdict: 'disagree',
    reason: /an error pullguard does not recognise/,
  });
});

t.test('hostile input never throws and stays bounded', async (t) => {
  const huge = 'x'.repeat(5_000_000) + 'no space left on device';
  t.equal(reconcile({ container, nodeMessage: huge, findings: [] }).verdict, 'disagree', 'read from its start only');
  t.equal(reconcile({ container, nodeMessage: undefined as unknown as string, findings: [] }).verdict, 'disagree');
});
