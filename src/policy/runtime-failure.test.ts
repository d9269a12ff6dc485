import t from 'tap';
import type { ImageUse } from '../workload/image-use.js';
import type { FindingClass } from './finding-class.js';
import type { Finding } from './finding.js';
import { refusalFinding } from './node-pull-findings.js';
import { nodeErrorLine, runtimeFailureOf } from './runtime-failure.js';
import { classifyRuntimeMessage } from './runtime-message.js';

const use: ImageUse = { image: 'nginx:1.99', name: 'app', section: 'containers', path: 'spec.containers[0].image' };
const finding = (cls: FindingClass, extra: Partial<Finding> = {}): Finding => ({
  class: cls,
  use,
  canonical: 'docker.io/library/nginx:1.99',
  cause: 'c',
  short: 's',
  ...extra,
});

t.test('each class that fails a pull maps to the failure the runtime reports', async (t) => {
  t.same(runtimeFailureOf(finding('notFound')), { kind: 'notFound' });
  t.same(runtimeFailureOf(finding('unauthorized')), { kind: 'unauthorized' });
  t.same(runtimeFailureOf(finding('rateLimited')), { kind: 'rateLimited' });
  t.equal(
    runtimeFailureOf(finding('ambiguousShortName')),
    undefined,
    'a short name: only an ambiguous one has these words (one no search registry resolves has others)',
  );
  t.same(
    runtimeFailureOf(finding('invalidReference', { canonical: undefined, use: { ...use, image: 'NGINX' } })),
    { kind: 'invalidReference' },
    "the grammar's verdict: the kubelet's name check",
  );
  t.equal(
    runtimeFailureOf(finding('invalidReference', { outcome: 'invalid' })),
    undefined,
    "a registry's NAME_INVALID is not the kubelet's parse error",
  );
  t.same(
    runtimeFailureOf(finding('blockedRegistry', { canonical: 'quay.io/team/app:1' })),
    { kind: 'blockedRegistry', prefix: 'quay.io' },
    'without the matching prefix: the registry host',
  );
});

t.test('the data set where the finding was built wins', async (t) => {
  const platform = { kind: 'platformMismatch', os: 'linux', architecture: 'arm64', variant: 'v8' } as const;
  t.same(runtimeFailureOf(finding('platformMismatch', { runtimeFailure: platform })), platform);
  t.equal(runtimeFailureOf(finding('platformMismatch')), undefined, 'no platform: no line');
  const blocked = { kind: 'blockedRegistry', prefix: 'docker.io/library' } as const;
  t.same(runtimeFailureOf(finding('blockedRegistry', { runtimeFailure: blocked })), blocked);
  t.same(runtimeFailureOf(finding('unreachable', { runtimeFailure: { kind: 'dnsFailure' } })), { kind: 'dnsFailure' });
});

t.test('what the node does not report as a pull failure maps to nothing', async (t) => {
  for (const cls of [
    'latestTag',
    'pullPolicyNever',
    'nodeCredentials',
    'platformPartial',
    'missingPullSecret',
    'invalidPullSecret',
    'missingServiceAccountAnnotation',
    'nodeLocal',
    'unreachable',
    'timeout',
  ] as const)
    t.equal(runtimeFailureOf(finding(cls)), undefined, cls);
});

t.test('the quoted line: labelled with the runtime, in its words', async (t) => {
  t.equal(
    nodeErrorLine(finding('notFound'), 'containerd'),
    'Node error (containerd): Failed to pull image "nginx:1.99": failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve image: docker.io/library/nginx:1.99: not found',
  );
  t.equal(
    nodeErrorLine(finding('notFound'), 'cri-o'),
    'Node error (cri-o): Failed to pull image "nginx:1.99": initializing source docker://docker.io/library/nginx:1.99: reading manifest 1.99 in docker.io/library/nginx: manifest unknown',
  );
  t.equal(
    nodeErrorLine(finding('notFound'), undefined),
    'Node error (containerd, assumed): Failed to pull image "nginx:1.99": failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve image: docker.io/library/nginx:1.99: not found',
    'unknown: containerd, and the label says so',
  );
  t.equal(
    nodeErrorLine(finding('invalidReference', { canonical: undefined, use: { ...use, image: 'NGINX' } }), 'cri-o'),
    'Node error (kubelet): Failed to apply default image tag "NGINX": couldn\'t parse image reference "NGINX": invalid reference format',
    'the kubelet writes it before asking any runtime',
  );
});

t.test('no line where the runtime in use never says it, or nothing names the image', async (t) => {
  const ambiguous = finding('ambiguousShortName', { runtimeFailure: { kind: 'ambiguousShortName' } });
  t.equal(nodeErrorLine(ambiguous, 'containerd'), undefined, 'short names are CRI-O only');
  t.equal(nodeErrorLine(ambiguous, undefined), undefined);
  t.equal(nodeErrorLine(finding('blockedRegistry'), 'containerd'), undefined);
  t.equal(nodeErrorLine(finding('notFound', { use: undefined }), 'containerd'), undefined, 'pod-level');
  t.equal(nodeErrorLine(finding('notFound', { canonical: undefined }), 'containerd'), undefined, 'no reference');
  t.equal(nodeErrorLine(finding('latestTag'), 'containerd'), undefined);
});

t.test('every quoted line reads back as its own failure, by the runtime that wrote it', async (t) => {
  const cases: [Finding, 'containerd' | 'cri-o'][] = [
    [finding('notFound'), 'containerd'],
    [finding('unauthorized'), 'cri-o'],
    [finding('rateLimited'), 'containerd'],
    [finding('timeout', { runtimeFailure: { kind: 'ioTimeout' } }), 'cri-o'],
    [finding('unreachable', { runtimeFailure: { kind: 'connectionRefused' } }), 'containerd'],
    [finding('unreachable', { runtimeFailure: { kind: 'unknownAuthority' } }), 'cri-o'],
    [
      finding('ambiguousShortName', {
        use: { ...use, image: 'nginx' },
        runtimeFailure: { kind: 'ambiguousShortName' },
      }),
      'cri-o',
    ],
    [finding('blockedRegistry'), 'cri-o'],
  ];
  for (const [f, runtime] of cases) {
    const line = nodeErrorLine(f, runtime) ?? '';
    const read = classifyRuntimeMessage(line.slice(line.indexOf('): ') + 3));
    t.equal(read.kind, runtimeFailureOf(f)?.kind, `${f.class} (${runtime})`);
    t.equal(read.writer, runtime, `${f.class}: written by ${runtime}`);
  }
});

t.test("CRI-O's refusals carry their words from where they are built", async (t) => {
  const blocked = refusalFinding(use, 'docker.io/library/nginx:1.99', {
    kind: 'blocked',
    reference: 'docker.io/library/nginx:1.99',
    prefix: 'docker.io/library',
    file: '/etc/containers/registries.conf',
  });
  t.equal(
    nodeErrorLine(blocked, 'cri-o'),
    'Node error (cri-o): Failed to pull image "nginx:1.99": initializing source docker://docker.io/library/nginx:1.99: registry docker.io/library is blocked in /etc/containers/registries.conf or /etc/containers/registries.conf.d',
    'the prefix of the matching entry, not the host',
  );
  const short = { ...use, image: 'nginx' };
  const ambiguous = refusalFinding(short, 'docker.io/library/nginx:latest', {
    kind: 'ambiguous',
    name: 'nginx',
    candidates: ['quay.io/nginx:latest', 'docker.io/library/nginx:latest'],
  });
  t.equal(
    nodeErrorLine(ambiguous, 'cri-o'),
    'Node error (cri-o): Failed to inspect image "": rpc error: code = Unknown desc = short name mode is enforcing, but image name nginx:latest returns ambiguous list',
  );
  const unresolved = refusalFinding(short, 'docker.io/library/nginx:latest', {
    kind: 'no-search-registries',
    name: 'nginx',
  });
  t.equal(unresolved.class, 'ambiguousShortName');
  t.equal(nodeErrorLine(unresolved, 'cri-o'), undefined, 'no search registries: other words, none quoted');
});
