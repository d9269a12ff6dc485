import t from 'tap';
import { runtimeLine, type RuntimeFailure } from './runtime-words.js';
import { classifyRuntimeMessage } from './runtime-message.js';

const nginx = { image: 'nginx:1.27', canonical: 'docker.io/library/nginx:1.27' };
const privateApp = {
  image: 'registry.example:5000/team/app@sha256:' + 'a'.repeat(64),
  canonical: 'registry.example:5000/team/app@sha256:' + 'a'.repeat(64),
};

const FAILURES: readonly RuntimeFailure[] = [
  { kind: 'notFound' },
  { kind: 'unauthorized' },
  { kind: 'platformMismatch', os: 'windows', architecture: 'amd64' },
  { kind: 'invalidReference' },
  { kind: 'dnsFailure' },
  { kind: 'connectionRefused' },
  { kind: 'ioTimeout' },
  { kind: 'unknownAuthority' },
  { kind: 'rateLimited' },
  { kind: 'pullPolicyNever' },
  { kind: 'blockedRegistry', prefix: 'docker.io' },
  { kind: 'ambiguousShortName' },
];

t.test('containerd lines, as the kubelet records them, for docker.io/library/nginx:1.27', async (t) => {
  const pull = 'Failed to pull image "nginx:1.27": failed to pull and unpack image "docker.io/library/nginx:1.27": ';
  t.equal(
    runtimeLine('containerd', { kind: 'notFound' }, nginx),
    `${pull}failed to resolve image: docker.io/library/nginx:1.27: not found`,
  );
  t.equal(
    runtimeLine('containerd', { kind: 'unauthorized' }, nginx),
    `${pull}failed to resolve image: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
  );
  t.equal(
    runtimeLine('containerd', { kind: 'platformMismatch', os: 'windows', architecture: 'amd64' }, nginx),
    `${pull}no match for platform in manifest: not found`,
  );
  const head =
    'failed to resolve image: failed to do request: Head "https://registry-1.docker.io/v2/library/nginx/manifests/1.27": ';
  t.equal(
    runtimeLine('containerd', { kind: 'dnsFailure' }, nginx),
    `${pull}${head}dial tcp: lookup registry-1.docker.io: no such host`,
  );
  t.equal(
    runtimeLine('containerd', { kind: 'connectionRefused' }, nginx),
    `${pull}${head}dial tcp registry-1.docker.io:443: connect: connection refused`,
  );
  t.equal(
    runtimeLine('containerd', { kind: 'ioTimeout' }, nginx),
    `${pull}${head}dial tcp registry-1.docker.io:443: i/o timeout`,
  );
  t.match(
    runtimeLine('containerd', { kind: 'unknownAuthority' }, nginx),
    /tls: failed to verify certificate: x509: certificate signed by unknown authority$/,
  );
  t.match(
    runtimeLine('containerd', { kind: 'rateLimited' }, nginx),
    /HEAD request to https:\/\/registry-1\.docker\.io\/v2\/library\/nginx\/manifests\/1\.27: 429 Too Many Requests$/,
  );
  t.equal(
    runtimeLine('containerd', { kind: 'blockedRegistry', prefix: 'docker.io' }, nginx),
    undefined,
    'containerd has no blocked registries',
  );
  t.equal(
    runtimeLine(
      'containerd',
      { kind: 'ambiguousShortName' },
      { image: 'nginx', canonical: 'docker.io/library/nginx:latest' },
    ),
    undefined,
  );
});

t.test('CRI-O lines for a digest on a private registry with a port', async (t) => {
  const digest = 'sha256:' + 'a'.repeat(64);
  const source = `Failed to pull image "${privateApp.image}": initializing source docker://registry.example:5000/team/app@${digest}: `;
  t.equal(
    runtimeLine('cri-o', { kind: 'notFound' }, privateApp),
    `${source}reading manifest ${digest} in registry.example:5000/team/app: manifest unknown`,
  );
  t.equal(
    runtimeLine('cri-o', { kind: 'unauthorized' }, privateApp),
    `${source}reading manifest ${digest} in registry.example:5000/team/app: unauthorized: authentication required`,
  );
  t.equal(
    runtimeLine('cri-o', { kind: 'connectionRefused' }, privateApp),
    `${source}pinging container registry registry.example:5000: Get "https://registry.example:5000/v2/": dial tcp registry.example:5000: connect: connection refused`,
  );
  t.equal(
    runtimeLine('cri-o', { kind: 'platformMismatch', os: 'linux', architecture: 'arm64', variant: 'v8' }, privateApp),
    `Failed to pull image "${privateApp.image}": choosing an image from manifest list docker://registry.example:5000/team/app@${digest}: no image found in manifest list for architecture "arm64", variant "v8", OS "linux"`,
  );
  t.equal(
    runtimeLine('cri-o', { kind: 'blockedRegistry', prefix: 'registry.example:5000' }, privateApp),
    `${source}registry registry.example:5000 is blocked in /etc/containers/registries.conf or /etc/containers/registries.conf.d`,
  );
  t.equal(
    runtimeLine(
      'cri-o',
      { kind: 'ambiguousShortName' },
      { image: 'nginx', canonical: 'docker.io/library/nginx:latest' },
    ),
    'Failed to inspect image "": rpc error: code = Unknown desc = short name mode is enforcing, but image name nginx:latest returns ambiguous list',
  );
});

t.test('kubelet-side failures read the same on both runtimes', async (t) => {
  const bad = { image: 'Nginx:1.27', canonical: 'Nginx:1.27' };
  for (const runtime of ['containerd', 'cri-o'] as const) {
    t.equal(
      runtimeLine(runtime, { kind: 'invalidReference' }, bad),
      'Failed to apply default image tag "Nginx:1.27": couldn\'t parse image reference "Nginx:1.27": invalid reference format',
    );
    t.equal(
      runtimeLine(runtime, { kind: 'pullPolicyNever' }, nginx),
      'Container image "nginx:1.27" is not present with pull policy of Never',
    );
    t.equal(
      runtimeLine(runtime, { kind: 'invalidReference' }, { image: 'app"1', canonical: 'app"1' }),
      String.raw`Failed to apply default image tag "app\"1": couldn't parse image reference "app\"1": invalid reference format`,
      'quotes in the name are escaped as Go does',
    );
  }
});

t.test('every rendered line classifies back to its failure and its writer', async (t) => {
  for (const runtime of ['containerd', 'cri-o'] as const) {
    for (const failure of FAILURES) {
      for (const ref of [nginx, privateApp]) {
        const line = runtimeLine(runtime, failure, ref);
        if (line === undefined) continue;
        const got = classifyRuntimeMessage(line);
        t.equal(got.kind, failure.kind, `${runtime} ${failure.kind} ${ref.canonical}`);
        const kubeletOnly = failure.kind === 'invalidReference' || failure.kind === 'pullPolicyNever';
        t.equal(got.writer, kubeletOnly ? 'kubelet' : runtime, `${runtime} ${failure.kind} writer`);
        t.equal(got.nodeSide, failure.kind === 'dnsFailure', `${runtime} ${failure.kind} node side`);
      }
    }
  }
});
