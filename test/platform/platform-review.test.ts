/**
 * The platform check end to end (issue 6): real multi-arch images (OCI index and Docker manifest list) in the real
 * registry, Nodes served by the fake Kubernetes API and watched through client-node, reviews through POST /validate.
 */
import t from 'tap';
import { startFakeKubeApi, type FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { findingClasses as classes, reviewWhenSynced } from '../helpers/shop-cluster.js';
import { pushImage, startRegistry } from '../harness/registry/index.js';
import { admissionReview, deployment, pod, startWebhookUnderTest } from '../helpers/engine-webhook.js';

function node(
  name: string,
  arch: string,
  extra: { taints?: object[]; labels?: Record<string, string>; os?: string } = {},
): object {
  const os = extra.os ?? 'linux';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/arch': arch, 'kubernetes.io/os': os, 'kubernetes.io/hostname': name, ...extra.labels },
    },
    spec: { taints: extra.taints ?? [] },
    status: { nodeInfo: { operatingSystem: os, architecture: arch } },
  };
}

t.test('platform check against cluster nodes', async (t) => {
  const reg = await startRegistry({ mode: 'plain' });
  t.teardown(() => reg.stop());
  const amd64 = { os: 'linux', architecture: 'amd64' };
  const arm64 = { os: 'linux', architecture: 'arm64', variant: 'v8' };
  await pushImage(reg, { repository: 'team/amd-only', tags: ['1'], format: 'oci-index', platforms: [amd64] });
  await pushImage(reg, {
    repository: 'team/arm-novariant',
    tags: ['1'],
    format: 'oci-index',
    platforms: [{ os: 'linux', architecture: 'arm64' }],
  });
  await pushImage(reg, {
    repository: 'team/multi',
    tags: ['1'],
    format: 'oci-index',
    platforms: [amd64, arm64],
    attestation: true,
  });
  await pushImage(reg, { repository: 'team/amd-list', tags: ['1'], format: 'docker-list', platforms: [amd64] });
  await pushImage(reg, { repository: 'team/single', tags: ['1'], format: 'oci-manifest', platforms: [amd64] });

  const kube: FakeKubeApi = await startFakeKubeApi();
  t.teardown(() => kube.close());
  kube.addNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  kube.addServiceAccount({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { namespace: 'shop', name: 'default' },
  });
  kube.addNode(node('arm-1', 'arm64'));
  kube.addNode(node('arm-2', 'arm64'));
  const webhook = await startWebhookUnderTest({
    config: { registries: [{ host: reg.host, plainHttp: true }], credentials: { kubernetes: true } },
    kubeconfigPath: kube.kubeconfigPath,
    watchNodes: true,
  });
  t.teardown(() => webhook.close());
  const image = (repo: string) => `${reg.host}/team/${repo}:1`;

  const mismatch = await reviewWhenSynced(
    webhook,
    admissionReview(deployment('amd', [image('amd-only')])),
    (c) => c.length > 0,
  );
  t.equal(mismatch.body.response.allowed, false, 'an amd64-only image on an arm64-only cluster is denied');
  t.same(classes(mismatch), ['platformMismatch']);
  t.match(mismatch.body.response.status.message, /has linux\/amd64 only; the pod can only run on linux\/arm64/);
  t.match(mismatch.body.response.status.message, /Fix: .*(nodeSelector|buildx)/);

  const list = await webhook.review(admissionReview(deployment('amd-list', [image('amd-list')])));
  t.same(classes(list), ['platformMismatch'], 'a Docker manifest list is checked like an OCI index');

  const noVariant = await webhook.review(admissionReview(deployment('arm', [image('arm-novariant')])));
  t.equal(noVariant.body.response.allowed, true, 'arm64 without a variant serves arm64 nodes');
  t.same(classes(noVariant), []);

  const multi = await webhook.review(admissionReview(deployment('multi', [image('multi')])));
  t.same(classes(multi), [], 'a multi-arch image (with an attestation entry) is fine');

  const single = await webhook.review(admissionReview(deployment('single', [image('single')])));
  t.same(classes(single), [], 'a single-platform manifest is not fetched just for this');
  t.equal(await reg.manifestRequests('GET'), 4, 'each of the four indexes was fetched once; the single manifest never');

  kube.addNode(node('amd-1', 'amd64'));
  const partial = await reviewWhenSynced(webhook, admissionReview(deployment('amd-mixed', [image('amd-only')])), (c) =>
    c.includes('platformPartial'),
  );
  t.equal(partial.body.response.allowed, true, 'on a mixed cluster the pod gets a warning');
  t.same(classes(partial), ['platformPartial']);

  const pinned = await webhook.review(
    admissionReview(deployment('amd-pinned', [image('amd-only')], { nodeSelector: { 'kubernetes.io/arch': 'amd64' } })),
  );
  t.same(classes(pinned), [], 'a nodeSelector pinning amd64 satisfies an amd64-only image');

  const affinity = await webhook.review(
    admissionReview(
      deployment('amd-affinity', [image('amd-only')], {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] },
              ],
            },
          },
        },
      }),
    ),
  );
  t.same(classes(affinity), ['platformMismatch'], 'required affinity to arm64 with an amd64-only image is denied');

  kube.addNode(node('arm-1', 'arm64', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }));
  kube.addNode(node('arm-2', 'arm64', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] }));
  const tainted = await reviewWhenSynced(
    webhook,
    admissionReview(deployment('amd-taints', [image('amd-only')])),
    (c) => c.length === 0,
  );
  t.same(classes(tainted), [], 'arm nodes with taints the pod does not tolerate are not candidates');
  const tolerating = await webhook.review(
    admissionReview(
      deployment('amd-tolerating', [image('amd-only')], { tolerations: [{ key: 'dedicated', operator: 'Exists' }] }),
    ),
  );
  t.same(classes(tolerating), ['platformPartial'], 'a pod tolerating the taints can land on the arm nodes again');
});

t.test('spec.os.name and spec.nodeName narrow the nodes the way the kubelet admits pods', async (t) => {
  const reg = await startRegistry({ mode: 'plain' });
  t.teardown(() => reg.stop());
  await pushImage(reg, {
    repository: 'team/amd-only',
    tags: ['1'],
    format: 'oci-index',
    platforms: [{ os: 'linux', architecture: 'amd64' }],
  });

  const kube: FakeKubeApi = await startFakeKubeApi();
  t.teardown(() => kube.close());
  kube.addNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  kube.addServiceAccount({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { namespace: 'shop', name: 'default' },
  });
  kube.addNode(node('amd-1', 'amd64'));
  kube.addNode(node('arm-1', 'arm64'));
  kube.addNode(node('win-1', 'amd64', { os: 'windows' }));
  const webhook = await startWebhookUnderTest({
    config: { registries: [{ host: reg.host, plainHttp: true }], credentials: { kubernetes: true } },
    kubeconfigPath: kube.kubeconfigPath,
    watchNodes: true,
  });
  t.teardown(() => webhook.close());
  const image = `${reg.host}/team/amd-only:1`;

  const unconstrained = await reviewWhenSynced(webhook, admissionReview(pod('any', [image])), (c) => c.length > 0);
  t.same(
    classes(unconstrained),
    ['platformPartial'],
    'without constraints the pod may land on the arm64 or the windows node',
  );

  const windows = await webhook.review(admissionReview(pod('win', [image], { os: { name: 'windows' } })));
  t.equal(windows.body.response.allowed, false, 'a windows pod with a linux-only image is denied');
  t.same(classes(windows), ['platformMismatch']);
  t.match(windows.body.response.status.message, /has linux\/amd64 only; the pod can only run on windows\/amd64 nodes/);
  t.notMatch(
    windows.body.response.status.message,
    /kubernetes\.io\/os: linux/,
    'never told to pin a windows pod to linux',
  );
  const windowsTemplate = await webhook.review(
    admissionReview(deployment('win', [image], { os: { name: 'windows' } })),
  );
  t.same(classes(windowsTemplate), ['platformMismatch'], 'a pod template with os.name is checked the same way');
  const linux = await webhook.review(admissionReview(pod('lin', [image], { os: { name: 'linux' } })));
  t.same(classes(linux), ['platformPartial'], 'os.name linux leaves out the windows node only');

  const pinnedArm = await webhook.review(admissionReview(pod('on-arm', [image], { nodeName: 'arm-1' })));
  t.equal(pinnedArm.body.response.allowed, false, 'a pod bound to the arm64 node with an amd64-only image is denied');
  t.same(classes(pinnedArm), ['platformMismatch']);
  t.match(pinnedArm.body.response.status.message, /the pod can only run on linux\/arm64 nodes/);
  const pinnedAmd = await webhook.review(admissionReview(pod('on-amd', [image], { nodeName: 'amd-1' })));
  t.same(classes(pinnedAmd), [], 'bound to the amd64 node: the image fits');
  const pinnedGone = await webhook.review(admissionReview(pod('on-gone', [image], { nodeName: 'gone' })));
  t.same(classes(pinnedGone), [], 'bound to a node pullguard does not know: no platform is claimed');
  const invalidOs = await webhook.review(admissionReview(pod('odd-os', [image], { os: { name: 'plan9' } })));
  t.same(classes(invalidOs), ['platformPartial'], 'an os.name the API server rejects is no constraint');
  t.match(invalidOs.body.response.warnings, [/no image variant for/]);
  const explained = await webhook.review(
    admissionReview(pod('odd-os-on-arm', [image], { os: { name: 'plan9' }, nodeName: 'arm-1' })),
  );
  t.same(classes(explained), ['platformMismatch']);
  t.match(
    explained.body.response.status.message,
    /only run on linux\/arm64 nodes \(spec\.os\.name ignored: only linux and windows are valid\)\./,
    'the denial says which constraint was ignored',
  );
});

t.test('outside a cluster, the configured platforms stand in for nodes', async (t) => {
  const reg = await startRegistry({ mode: 'plain' });
  t.teardown(() => reg.stop());
  await pushImage(reg, {
    repository: 'team/amd-only',
    tags: ['1'],
    format: 'oci-index',
    platforms: [{ os: 'linux', architecture: 'amd64' }],
  });
  const webhook = await startWebhookUnderTest({
    config: {
      registries: [{ host: reg.host, plainHttp: true }],
      credentials: { kubernetes: false },
      platforms: ['linux/arm64'],
    },
  });
  t.teardown(() => webhook.close());
  const answer = await webhook.review(admissionReview(deployment('cfg', [`${reg.host}/team/amd-only:1`])));
  t.same(classes(answer), ['platformMismatch']);
  t.match(
    answer.body.response.status.message,
    /the pod can only run on linux\/arm64 nodes \(checked against the configured platforms\)\./,
    'the denial says where the platforms come from',
  );
  const cached = await webhook.review(admissionReview(deployment('cfg2', [`${reg.host}/team/amd-only:1`])));
  t.same(classes(cached), ['platformMismatch']);
  t.equal(await reg.manifestRequests('GET'), 1, 'the index is fetched once per digest');
});
