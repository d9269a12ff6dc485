/**
 * The cluster most review tests start from: the fake Kubernetes API holding namespace `shop` and its `default`
 * ServiceAccount, and the ways to read a review's findings once the webhook's node watcher has caught up.
 */
import { startFakeKubeApi, type FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';

/** Starts the fake API with namespace `shop` and ServiceAccount `shop/default`; closed at the test's teardown. */
export async function startShopCluster(t: { teardown(fn: () => unknown): void }): Promise<FakeKubeApi> {
  const kube = await startFakeKubeApi();
  t.teardown(() => kube.close());
  kube.addNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  kube.addServiceAccount({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { namespace: 'shop', name: 'default' },
  });
  return kube;
}

/** The finding classes of an AdmissionReview answer, from its audit annotation. */
export function findingClasses(answer: { body: any }): string[] {
  const text = answer.body.response?.auditAnnotations?.findings;
  return text ? JSON.parse(text).map((f: { class: string }) => f.class) : [];
}

/** Reviews until `expect` holds (the node watcher's first list may come after the first reviews), at most 5 s. */
export async function reviewWhenSynced(
  webhook: { review(body: object): Promise<{ body: any }> },
  body: object,
  expect: (classes: string[]) => boolean,
): Promise<{ body: any }> {
  let answer = await webhook.review(body);
  for (let i = 0; i < 50 && !expect(findingClasses(answer)); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    answer = await webhook.review(body);
  }
  return answer;
}
