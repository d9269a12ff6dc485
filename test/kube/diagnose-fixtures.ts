/** A pod in ImagePullBackOff and its kubelet pull event, as the diagnose reader tests put them into the fake API. */
import type { FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';

export const POD_UID = '6b1f2c3d-0000-4000-8000-00000000a1b2';
const WAITING_MESSAGE =
  'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": ' +
  'failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found';

export function failingPod(namespace: string, name: string): object {
  return {
    metadata: { name, namespace, uid: POD_UID, labels: { app: 'web' } },
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx:1.99' }] },
    status: {
      phase: 'Pending',
      startTime: '2026-01-02T03:00:00Z',
      containerStatuses: [
        {
          name: 'app',
          image: 'nginx:1.99',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ImagePullBackOff', message: WAITING_MESSAGE } },
        },
      ],
    },
  };
}

export function pullEvent(name: string, pod: string, uid: string): object {
  return {
    metadata: { name, namespace: 'shop' },
    involvedObject: {
      kind: 'Pod',
      name: pod,
      namespace: 'shop',
      uid,
      apiVersion: 'v1',
      fieldPath: 'spec.containers{app}',
    },
    reason: 'Failed',
    message: `Failed to pull image "nginx:1.99": ${WAITING_MESSAGE}`,
    source: { component: 'kubelet', host: 'n1' },
    firstTimestamp: '2026-01-02T03:00:01Z',
    lastTimestamp: '2026-01-02T03:04:05Z',
    count: 4,
    type: 'Warning',
  };
}

/** A deadline for one reader call in these tests. */
export const deadline = (): AbortSignal => AbortSignal.timeout(5000);

/** The query parameters of every request the fake API saw on `path`, in order. */
export function queriesOf(api: Pick<FakeKubeApi, 'requests'>, path: string): Record<string, string>[] {
  return api
    .requests()
    .filter((r) => r.path === path)
    .map((r) => Object.fromEntries(new URLSearchParams(r.query)));
}
