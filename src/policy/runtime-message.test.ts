/**
 * Event texts as `kubectl describe pod` shows them (the Message column of the Events table): the kubelet's
 * `Failed to pull image %q: %v` (https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/images/image_manager.go)
 * around the runtime's error. Those marked "reported" were quoted from real clusters in public troubleshooting notes
 * (names redacted there are replaced by placeholders); those marked "assembled" join the upstream format strings
 * cited in runtime-words.ts and runtime-message.ts for a case no public note quoted whole.
 */
import t from 'tap';
import { classifyRuntimeMessage, MAX_MESSAGE_CHARS } from './runtime-message.js';

const CAPTURED = [
  {
    // Reported: containerd on kind, an image that was never pushed to Docker Hub.
    text: 'Failed to pull image "snj": failed to pull and unpack image "docker.io/library/snj:latest": failed to resolve reference "docker.io/library/snj:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    kind: 'unauthorized',
    writer: 'containerd',
  },
  {
    // Reported: containerd's own log line for a tag never pushed,
    // https://github.com/kubernetes-sigs/provider-aws-test-infra/pull/281.
    text: 'PullImage "registry.k8s.io/kube-apiserver-amd64:v1.30.0-alpha.1.107_052bce26f4f48b" failed: rpc error: code = NotFound desc = failed to pull and unpack image "registry.k8s.io/kube-apiserver-amd64:v1.30.0-alpha.1.107_052bce26f4f48b": failed to resolve reference "registry.k8s.io/kube-apiserver-amd64:v1.30.0-alpha.1.107_052bce26f4f48b": registry.k8s.io/kube-apiserver-amd64:v1.30.0-alpha.1.107_052bce26f4f48b: not found',
    kind: 'notFound',
    writer: 'containerd',
  },
  {
    // Reported by an older kubelet, which kept the gRPC status prefix.
    text: 'Failed to pull image "registry.example/team/app:v9": rpc error: code = NotFound desc = failed to resolve reference "registry.example/team/app:v9": registry.example/team/app:v9: not found',
    kind: 'notFound',
    writer: 'containerd',
  },
  {
    // Reported: containerd 2.x (transfer service, the default CRI pull path) on kind, a tag never pushed.
    text: 'Failed to pull image "nginx:brokenpod": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:brokenpod": failed to resolve image: docker.io/library/nginx:brokenpod: not found',
    kind: 'notFound',
    writer: 'containerd',
  },
  {
    // Reported: containerd 2.x, a repository that does not exist on Docker Hub.
    text: 'Failed to pull image "wazuh/wazuh-certs-tool:4.7.2": failed to pull and unpack image "docker.io/wazuh/wazuh-certs-tool:4.7.2": failed to resolve image: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    kind: 'unauthorized',
    writer: 'containerd',
  },
  {
    // Reported: containerd 2.x, the registry's name unknown to the node's resolver (the note left out the CRI wrap).
    text: 'Failed to pull image "my-private-registry.example.com/foo:latest": failed to resolve image: failed to do request: Head "https://my-private-registry.example.com/v2/foo/manifests/latest": dial tcp: lookup my-private-registry.example.com on 192.168.16.19:53: no such host',
    kind: 'dnsFailure',
    writer: 'containerd',
    nodeSide: true,
  },
  {
    // Assembled: the transfer service's error alone, as containerd's own log shows it under the gRPC status.
    text: 'rpc error: code = NotFound desc = failed to resolve image: registry.example/team/app:v9: not found',
    kind: 'notFound',
    writer: 'containerd',
  },
  {
    // Reported: CRI-O 1.34.1 on OKE, https://github.com/FusionAuth/charts/issues/118 (event InspectFailed).
    text: 'Failed to inspect image "": rpc error: code = Unknown desc = short name mode is enforcing, but image name fusionauth/fusionauth-app:1.60.2 returns ambiguous list',
    kind: 'ambiguousShortName',
    writer: 'cri-o',
  },
  {
    // Reported: containerd's CRI plugin, https://github.com/containerd/containerd/issues/3236 (name and tag redacted
    // there, placeholders here).
    text: 'Failed to pull image "myapp:1.0": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/myapp:1.0": failed to resolve reference "docker.io/library/myapp:1.0": failed to do request: Head "https://registry-1.docker.io/v2/library/myapp/manifests/1.0": dial tcp 54.224.119.26:443: i/o timeout',
    kind: 'ioTimeout',
    writer: 'containerd',
  },
  {
    // Reported: containerd through crictl, https://github.com/kubernetes/kubeadm/issues/2936 (a dial timeout).
    text: 'rpc error: code = Unknown desc = failed to pull and unpack image "registry.k8s.io/kube-proxy:v1.28.2": failed to resolve reference "registry.k8s.io/kube-proxy:v1.28.2": failed to do request: Head "https://registry.k8s.io/v2/kube-proxy/manifests/v1.28.2": dial tcp 34.96.108.209:443: connect: connection timed out',
    kind: 'ioTimeout',
    writer: 'containerd',
  },
  {
    // Reported: CRI-O on OpenShift with an image digest mirror that lacks the digest; upstream refuses anonymous pulls.
    text: 'Failed to pull image "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:f015c440": initializing source docker://quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:f015c440: (Mirrors also failed: [registry.mirror:8443/openshift/release@sha256:f015c440: reading manifest sha256:f015c440 in registry.mirror:8443/openshift/release: manifest unknown]): quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:f015c440: reading manifest sha256:f015c440 in quay.io/openshift-release-dev/ocp-v4.0-art-dev: unauthorized: access to the requested resource is not authorized',
    kind: 'unauthorized',
    writer: 'cri-o',
    mirrorsFailed: true,
  },
  {
    // Reported: CRI-O on OpenShift; the cluster's global pull secret holds a robot account the registry no longer knows.
    text: 'Failed to pull image "quay.io/rhoai/rhoai-fbc-fragment:rhoai-3.5-ea.2": initializing source docker://quay.io/rhoai/rhoai-fbc-fragment:rhoai-3.5-ea.2: unable to retrieve auth token: invalid username/password: unauthorized: Could not find robot with username: acme+puller and supplied password.',
    kind: 'unauthorized',
    writer: 'cri-o',
    credentialsRejected: true,
  },
  {
    // Assembled: containerd with node credentials for Docker Hub that the token server refuses.
    text: 'Failed to pull image "acme/private:1": failed to pull and unpack image "docker.io/acme/private:1": failed to resolve reference "docker.io/acme/private:1": failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://auth.docker.io/token: 401 Unauthorized',
    kind: 'unauthorized',
    writer: 'containerd',
    credentialsRejected: true,
  },
  {
    // Reported.
    text: 'Container image "myapp:v1.0" is not present with pull policy of Never',
    kind: 'pullPolicyNever',
    writer: 'kubelet',
  },
  {
    // Assembled around a reported containerd layer-extraction error, with the kernel's ENOSPC text.
    text: 'Failed to pull image "registry.example/app:1": failed to pull and unpack image "registry.example/app:1": failed to extract layer sha256:682fbb19: write /var/lib/containerd/tmpmounts/x/usr/lib/libc.so: no space left on device',
    kind: 'diskFull',
    writer: 'containerd',
    nodeSide: true,
  },
  {
    // Assembled: the node's cluster DNS answers SERVFAIL (Go's `server misbehaving`).
    text: 'Failed to pull image "ghcr.io/acme/app:2": failed to pull and unpack image "ghcr.io/acme/app:2": failed to resolve reference "ghcr.io/acme/app:2": failed to do request: Head "https://ghcr.io/v2/acme/app/manifests/2": dial tcp: lookup ghcr.io on 10.96.0.10:53: server misbehaving',
    kind: 'dnsFailure',
    writer: 'containerd',
    nodeSide: true,
  },
] as const;

t.test('captured event texts', async (t) => {
  for (const c of CAPTURED) {
    const got = classifyRuntimeMessage(c.text);
    t.equal(got.kind, c.kind, c.text.slice(0, 60));
    t.equal(got.writer, c.writer, `${c.kind} writer`);
    t.equal(got.nodeSide, 'nodeSide' in c ? c.nodeSide : false, `${c.kind} node side`);
    t.equal(got.mirrorsFailed, 'mirrorsFailed' in c ? c.mirrorsFailed : false, `${c.kind} mirrors`);
    t.equal(
      got.credentialsRejected,
      'credentialsRejected' in c ? c.credentialsRejected : false,
      `${c.kind} credentials`,
    );
    t.equal(got.truncated, false);
  }
});

t.test('with mirrors, the upstream error decides, not the mirrors’', async (t) => {
  const text =
    'initializing source docker://docker.io/library/nginx:1.27: (Mirrors also failed: [mirror.internal:5000/library/nginx:1.27: reading manifest 1.27 in mirror.internal:5000/library/nginx: unauthorized: authentication required]): docker.io/library/nginx:1.27: reading manifest 1.27 in docker.io/library/nginx: manifest unknown';
  t.equal(classifyRuntimeMessage(text).kind, 'notFound');
  t.equal(classifyRuntimeMessage(text).mirrorsFailed, true);
});

t.test('unknown text is unknown', async (t) => {
  for (const text of [
    '',
    'Back-off restarting failed container app in pod app-0',
    'Error: ErrImagePull',
    'not found',
  ]) {
    t.same(
      classifyRuntimeMessage(text),
      {
        kind: 'unknown',
        nodeSide: false,
        writer: 'unknown',
        mirrorsFailed: false,
        credentialsRejected: false,
        truncated: false,
      },
      JSON.stringify(text),
    );
  }
  t.equal(classifyRuntimeMessage(undefined as unknown as string).kind, 'unknown', 'a non-string does not throw');
});

t.test('1 MB of hostile text is read only to the cap, quickly', async (t) => {
  const hostile = 'dial tcp: lookup '.repeat(70_000) + 'no such host';
  t.ok(hostile.length > 1_000_000);
  const start = process.hrtime.bigint();
  const got = classifyRuntimeMessage(hostile);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  t.equal(got.truncated, true);
  t.equal(got.kind, 'unknown', 'the cause past the cap is not read');
  t.ok(ms < 200, `took ${ms.toFixed(1)} ms`);
  const early = 'Failed to pull image "x": no space left on device ' + 'a'.repeat(MAX_MESSAGE_CHARS * 16);
  t.equal(classifyRuntimeMessage(early).kind, 'diskFull', 'a cause within the cap is still found');
});

t.test('the Docker daemon writes its answers, even when they quote containerd', async (t) => {
  const quoting =
    'Error response from daemon: unknown: failed to resolve reference "ghcr.io/acme/app:1": unexpected status from HEAD request to https://ghcr.io/v2/acme/app/manifests/1: 403 Forbidden';
  t.same(
    [classifyRuntimeMessage(quoting).kind, classifyRuntimeMessage(quoting).writer],
    ['unauthorized', 'cri-dockerd'],
  );
  const bare = 'Head "https://registry.example/v2/app/manifests/1": Forbidden';
  t.equal(
    classifyRuntimeMessage(bare).kind,
    'unknown',
    "a bare `Forbidden` is read as a refusal only in the daemon's answer",
  );
  t.equal(classifyRuntimeMessage(`Error response from daemon: ${bare}`).kind, 'unauthorized');
  t.equal(classifyRuntimeMessage(`Error response from daemon: ${bare}`).credentialsRejected, false);
});
