/**
 * The runtime's words end to end: a tag missing on the real Distribution registry is denied through POST /validate,
 * and the denial quotes the line the node's runtime would log, in containerd's words (the config says containerd, or
 * nothing says which runtime) or in CRI-O's (the Nodes served by the fake Kubernetes API report `cri-o://1.34.1`).
 */
import t from 'tap';
import { startFakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { pushImage, startRegistry } from '../harness/registry/index.js';
import { admissionReview, deployment, startWebhookUnderTest } from '../helpers/engine-webhook.js';
import { startShopCluster } from '../helpers/shop-cluster.js';

function node(name: string, containerRuntimeVersion: string, os = 'linux'): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': os } },
    spec: { taints: [] },
    status: { nodeInfo: { operatingSystem: os, architecture: 'amd64', containerRuntimeVersion } },
  };
}

/** The denial message once the node watcher has listed the nodes (it lists in the background): a platform mismatch. */
async function untilSynced(review: () => Promise<{ body: any }>): Promise<string> {
  let message = '';
  for (let i = 0; i < 50 && !message.includes('platform'); i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    message = (await review()).body.response.status?.message ?? '';
  }
  return message;
}

t.test('a missing tag: the denial quotes the runtime in use', async (t) => {
  const reg = await startRegistry({ mode: 'plain' });
  t.teardown(() => reg.stop());
  await pushImage(reg, { repository: 'team/app', tags: ['1.0'], format: 'oci-manifest' });
  await pushImage(reg, {
    repository: 'team/arm',
    tags: ['1'],
    format: 'oci-index',
    platforms: [{ os: 'linux', architecture: 'arm64' }],
  });
  const arm = `${reg.host}/team/arm:1`;
  const image = `${reg.host}/team/app:9.9`;
  const review = admissionReview(deployment('web', [image]));
  const registries = [{ host: reg.host, plainHttp: true }];
  const containerdLine = `Failed to pull image "${image}": failed to pull and unpack image "${image}": failed to resolve image: ${image}: not found`;

  await t.test('no runtime known: containerd, said to be assumed', async (t) => {
    const webhook = await startWebhookUnderTest({ config: { registries } });
    t.teardown(() => webhook.close());
    const answer = await webhook.review(review);
    t.equal(answer.body.response.allowed, false);
    const message: string = answer.body.response.status.message;
    t.match(message, `tag "9.9" does not exist in ${reg.host}/team/app.`);
    t.ok(message.endsWith(` Node error (containerd, assumed): ${containerdLine}`), message);
    t.notMatch(webhook.logs(), 'Node error', 'the message is not logged');
  });

  await t.test('the config names containerd: its words, without the hedge, whatever the nodes say', async (t) => {
    const kube = await startFakeKubeApi();
    t.teardown(() => kube.close());
    kube.addNode(node('crio-1', 'cri-o://1.34.1'));
    const webhook = await startWebhookUnderTest({
      config: { registries, runtime: { containerd: {} }, credentials: { kubernetes: true } },
      kubeconfigPath: kube.kubeconfigPath,
      watchNodes: true,
    });
    t.teardown(() => webhook.close());
    // Once the nodes are known (all amd64), the arm64-only image is a platform mismatch.
    const mismatch = await untilSynced(() => webhook.review(admissionReview(deployment('arm', [arm]))));
    t.ok(
      mismatch.endsWith(
        ` Node error (containerd): Failed to pull image "${arm}": failed to pull and unpack image "${arm}": no match for platform in manifest: not found`,
      ),
      mismatch,
    );
    const message: string = (await webhook.review(review)).body.response.status.message;
    t.ok(message.endsWith(` Node error (containerd): ${containerdLine}`), message);
  });

  await t.test("most nodes report CRI-O 1.34: its words; a Windows pod gets its nodes' containerd", async (t) => {
    const kube = await startShopCluster(t);
    kube.addNode(node('crio-1', 'cri-o://1.34.1'));
    kube.addNode(node('crio-2', 'cri-o://1.34.1'));
    kube.addNode(node('win-1', 'containerd://2.1.4', 'windows'));
    const webhook = await startWebhookUnderTest({
      config: { registries, credentials: { kubernetes: true } },
      kubeconfigPath: kube.kubeconfigPath,
      watchNodes: true,
    });
    t.teardown(() => webhook.close());
    const mismatch = await untilSynced(() => webhook.review(admissionReview(deployment('arm', [arm]))));
    t.ok(
      mismatch.endsWith(
        ` Node error (cri-o): Failed to pull image "${arm}": choosing an image from manifest list docker://${arm}: no image found in manifest list for architecture "amd64", variant "", OS "linux"`,
      ),
      mismatch,
    );
    const message: string = (await webhook.review(review)).body.response.status.message;
    t.ok(
      message.endsWith(
        ` Node error (cri-o): Failed to pull image "${image}": initializing source docker://${image}: reading manifest 9.9 in ${reg.host}/team/app: manifest unknown`,
      ),
      message,
    );
    const windows = admissionReview(deployment('win', [image], { nodeSelector: { 'kubernetes.io/os': 'windows' } }));
    const onWindows: string = (await webhook.review(windows)).body.response.status.message;
    t.ok(onWindows.endsWith(` Node error (containerd): ${containerdLine}`), onWindows);
  });
});
