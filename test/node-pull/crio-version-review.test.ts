/**
 * CRI-O 1.34 enforces short names when registries.conf sets no short-name-mode: pullguard learns the nodes' runtime
 * from `status.nodeInfo.containerRuntimeVersion`, through the fake Kubernetes API and client-node's watch, and the
 * same short name is ambiguous or searched depending on it (docs/design.md §1.10).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { pushImage, startRegistry } from '../harness/registry/index.js';
import { admissionReview, deployment, startWebhookUnderTest } from '../helpers/engine-webhook.js';
import { findingClasses as classes, reviewWhenSynced, startShopCluster } from '../helpers/shop-cluster.js';

const scratch = await mkdtemp(join(tmpdir(), 'pullguard-crio-'));
t.teardown(() => rm(scratch, { recursive: true, force: true }));
const first = await startRegistry({ mode: 'plain' });
const second = await startRegistry({ mode: 'plain' });
t.teardown(() => Promise.all([first.stop(), second.stop()]));
await pushImage(second, { repository: 'tools/app', tags: ['1.0'], format: 'oci-manifest' });

const conf = join(scratch, 'registries.conf');
await writeFile(conf, `unqualified-search-registries = ["${first.host}", "${second.host}"]\n`);

function node(name: string, runtime: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' } },
    status: { nodeInfo: { operatingSystem: 'linux', architecture: 'amd64', containerRuntimeVersion: runtime } },
  };
}

async function webhookOn(runtime: string) {
  const kube = await startShopCluster(t);
  kube.addNode(node('n1', runtime));
  const webhook = await startWebhookUnderTest({
    config: {
      registries: [{ host: '127.0.0.1:*', plainHttp: true }],
      credentials: { kubernetes: true },
      runtime: { crio: { registriesConf: conf } },
    },
    kubeconfigPath: kube.kubeconfigPath,
    watchNodes: true,
  });
  t.teardown(() => webhook.close());
  return webhook;
}

t.test('nodes on CRI-O 1.34: a short name with two search registries is ambiguous', async (t) => {
  const webhook = await webhookOn('cri-o://1.34.1');
  const answer = await reviewWhenSynced(webhook, admissionReview(deployment('s', ['tools/app:1.0'])), (c) =>
    c.includes('ambiguousShortName'),
  );
  t.equal(answer.body.response.allowed, false);
  t.same(classes(answer), ['ambiguousShortName']);
  t.match(answer.body.response.status.message, `It could be ${first.host}/tools/app:1.0, ${second.host}/tools/app:1.0`);
});

t.test('nodes on CRI-O 1.33: the runtime tries each search registry, and finds the image on the second', async (t) => {
  const webhook = await webhookOn('cri-o://1.33.4');
  // Give the watcher time to list the node: an allow must not be an allow from before the first list.
  await reviewWhenSynced(webhook, admissionReview(deployment('w', ['tools/app:1.0'])), () => false);
  const answer = await webhook.review(admissionReview(deployment('s', ['tools/app:1.0'])));
  t.equal(answer.body.response.allowed, true, 'found on the second search registry');
  const missing = await webhook.review(admissionReview(deployment('m', ['tools/app:9.9'])));
  t.equal(missing.body.response.allowed, false);
  t.match(missing.body.response.status.message, `It is missing on ${first.host} and on ${second.host}.`);
});
