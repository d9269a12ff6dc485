import t from 'tap';
import type { ImageUse } from '../workload/image-use.js';
import type { FindingClass } from './finding-class.js';
import type { DecidedFinding } from './finding.js';
import { MAX_MESSAGE_BYTES, renderDenial } from './render-denial.js';

const use = (image: string, i = 0): ImageUse => ({
  image,
  name: `c${i}`,
  section: 'containers',
  path: `spec.containers[${i}].image`,
});
const denied = (cls: FindingClass, extra: Partial<DecidedFinding> = {}): DecidedFinding => ({
  class: cls,
  verdict: 'deny',
  use: use('nginx:1.99'),
  canonical: 'docker.io/library/nginx:1.99',
  cause: 'the cause.',
  fix: 'Fix: the fix.',
  short: 's',
  ...extra,
});
const context = { objectLabel: 'Pod shop/web', checkedUses: 1 } as const;
const lineOf = (finding: DecidedFinding, runtime?: 'containerd' | 'cri-o'): string =>
  renderDenial([finding], { ...context, runtime }).split('\n')[1] ?? '';

const PREFIX =
  '- container "c0" (spec.containers[0].image): "nginx:1.99" (docker.io/library/nginx:1.99): the cause. Fix: the fix.';
const PULL = 'Failed to pull image "nginx:1.99": ';
const CONTAINERD = `${PULL}failed to pull and unpack image "docker.io/library/nginx:1.99": `;
const CRIO = `${PULL}initializing source docker://docker.io/library/nginx:1.99: `;
const HEAD =
  'failed to resolve image: failed to do request: Head "https://registry-1.docker.io/v2/library/nginx/manifests/1.99": ';
const PING = 'pinging container registry registry-1.docker.io: Get "https://registry-1.docker.io/v2/": ';

/** [case, finding, containerd's words, CRI-O's words]: after pullguard's cause and fix, in the runtime's words. */
const CASES: readonly [string, DecidedFinding, string | undefined, string][] = [
  [
    'notFound',
    denied('notFound'),
    `${CONTAINERD}failed to resolve image: docker.io/library/nginx:1.99: not found`,
    `${CRIO}reading manifest 1.99 in docker.io/library/nginx: manifest unknown`,
  ],
  [
    'unauthorized',
    denied('unauthorized'),
    `${CONTAINERD}failed to resolve image: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
    `${CRIO}reading manifest 1.99 in docker.io/library/nginx: unauthorized: authentication required`,
  ],
  [
    'platformMismatch',
    denied('platformMismatch', {
      runtimeFailure: { kind: 'platformMismatch', os: 'linux', architecture: 'arm', variant: 'v7' },
    }),
    `${CONTAINERD}no match for platform in manifest: not found`,
    `${PULL}choosing an image from manifest list docker://docker.io/library/nginx:1.99: no image found in manifest list for architecture "arm", variant "v7", OS "linux"`,
  ],
  [
    'blockedRegistry',
    denied('blockedRegistry', { runtimeFailure: { kind: 'blockedRegistry', prefix: 'docker.io/library' } }),
    undefined,
    `${CRIO}registry docker.io/library is blocked in /etc/containers/registries.conf or /etc/containers/registries.conf.d`,
  ],
  [
    'unreachable (dns)',
    denied('unreachable', { runtimeFailure: { kind: 'dnsFailure' } }),
    `${CONTAINERD}${HEAD}dial tcp: lookup registry-1.docker.io: no such host`,
    `${CRIO}${PING}dial tcp: lookup registry-1.docker.io: no such host`,
  ],
  [
    'unreachable (refused)',
    denied('unreachable', { runtimeFailure: { kind: 'connectionRefused' } }),
    `${CONTAINERD}${HEAD}dial tcp registry-1.docker.io:443: connect: connection refused`,
    `${CRIO}${PING}dial tcp registry-1.docker.io:443: connect: connection refused`,
  ],
  [
    'unreachable (unknown authority)',
    denied('unreachable', { runtimeFailure: { kind: 'unknownAuthority' } }),
    `${CONTAINERD}${HEAD}tls: failed to verify certificate: x509: certificate signed by unknown authority`,
    `${CRIO}${PING}tls: failed to verify certificate: x509: certificate signed by unknown authority`,
  ],
  [
    'timeout',
    denied('timeout', { runtimeFailure: { kind: 'ioTimeout' } }),
    `${CONTAINERD}${HEAD}dial tcp registry-1.docker.io:443: i/o timeout`,
    `${CRIO}${PING}dial tcp registry-1.docker.io:443: i/o timeout`,
  ],
];

t.test('each denying class quotes the line of the runtime in use, after the cause and fix', async (t) => {
  for (const [name, finding, containerd, crio] of CASES) {
    t.equal(lineOf(finding, 'cri-o'), `${PREFIX} Node error (cri-o): ${crio}`, `${name}, CRI-O`);
    t.equal(
      lineOf(finding, 'containerd'),
      containerd === undefined ? PREFIX : `${PREFIX} Node error (containerd): ${containerd}`,
      `${name}, containerd`,
    );
    t.equal(
      lineOf(finding),
      containerd === undefined ? PREFIX : `${PREFIX} Node error (containerd, assumed): ${containerd}`,
      `${name}, runtime unknown`,
    );
  }
});

t.test('an ambiguous short name and an invalid name', async (t) => {
  const short = denied('ambiguousShortName', {
    use: use('nginx'),
    canonical: 'docker.io/library/nginx:latest',
    runtimeFailure: { kind: 'ambiguousShortName' },
  });
  t.equal(
    lineOf(short, 'cri-o'),
    '- container "c0" (spec.containers[0].image): "nginx" (docker.io/library/nginx:latest): the cause. Fix: the fix. Node error (cri-o): Failed to inspect image "": rpc error: code = Unknown desc = short name mode is enforcing, but image name nginx:latest returns ambiguous list',
  );
  t.notMatch(lineOf(short, 'containerd'), /Node error/, 'containerd has no short-name mode');
  const invalid = denied('invalidReference', { use: use('Nginx:1'), outcome: 'invalid', canonical: undefined });
  for (const runtime of ['containerd', 'cri-o', undefined] as const)
    t.equal(
      lineOf(invalid, runtime),
      '- container "c0" (spec.containers[0].image): "Nginx:1": the cause. Fix: the fix. Node error (kubelet): Failed to apply default image tag "Nginx:1": couldn\'t parse image reference "Nginx:1": invalid reference format',
      `the kubelet's words, whatever the runtime (${runtime ?? 'unknown'})`,
    );
});

t.test('warnings get no quote, and neither do policy denials or pod-level problems', async (t) => {
  const warned = { ...denied('notFound', { use: use('app:2', 1) }), verdict: 'warn' } as const;
  const latest = denied('latestTag', { use: use('app', 2), canonical: 'docker.io/library/app:latest' });
  const secret = denied('invalidPullSecret', { use: undefined, canonical: undefined, subject: 'pull secret shop/r' });
  const message = renderDenial([denied('notFound'), warned, latest, secret], { ...context, runtime: 'containerd' });
  t.equal(message.split('Node error').length - 1, 1, 'only the denied notFound is quoted');
  t.notMatch(message, /app:2/, 'the warning is not in the denial');
});

t.test('the limits hold with the quotes: 10 images, 4 KiB, every line whole or cut cleanly', async (t) => {
  for (const runtime of ['containerd', 'cri-o', undefined] as const) {
    for (const count of [10, 11, 40]) {
      const findings = Array.from({ length: count }, (_, i) =>
        denied('notFound', {
          use: use(`registry.example.com/team/service-${i}:1.${i}`, i),
          canonical: `registry.example.com/team/service-${i}:1.${i}`,
        }),
      );
      const message = renderDenial(findings, { objectLabel: 'Deployment shop/web', checkedUses: count, runtime });
      const lines = message.split('\n');
      const label = `${count} images, ${runtime ?? 'unknown'}`;
      t.ok(Buffer.byteLength(message) < MAX_MESSAGE_BYTES, `${label}: ${Buffer.byteLength(message)} bytes`);
      t.ok(lines.length <= 12, `${label}: at most summary + 10 + rest`);
      const shown = lines.filter((l) => l.startsWith('- '));
      t.ok(
        shown.every((l) => l.includes('Node error') && l.endsWith(': not found') !== l.endsWith('manifest unknown')),
        `${label}: every shown line ends with its whole quote`,
      );
      if (shown.length < count) t.match(lines.at(-1), /^… and \d+ more failing images$/, `${label}: the rest counted`);
      t.ok(message.isWellFormed());
    }
  }
});

t.test('secrets stay out: the quote names the image and the registry host only', async (t) => {
  const finding = denied('unauthorized', {
    use: use('registry.example.com/team/app:1'),
    canonical: 'registry.example.com/team/app:1',
    cause: 'registry.example.com rejected the credentials from secret shop/regcred.',
  });
  const message = renderDenial([finding], { ...context, runtime: 'cri-o' });
  t.match(message, 'Node error (cri-o): Failed to pull image "registry.example.com/team/app:1": ');
  t.notMatch(message, /password|token=|Authorization|Basic /i);
});
