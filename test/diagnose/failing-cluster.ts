/**
 * A cluster with pods that fail to pull, for `pullguard diagnose` tests: Pods shaped as the kubelet leaves them
 * (`status.containerStatuses[].state.waiting`), the kubelet's `Failed` and `BackOff` events about them, Nodes with
 * their platform and runtime, and the Deployment → ReplicaSet → Pod chain, all in the fake Kubernetes API.
 */
import type { FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { dockerConfigJson, pushImage } from '../harness/registry/index.js';
import type { RegistryHandle } from '../harness/registry/types.js';

export interface FailingPodSpec {
  readonly name: string;
  readonly namespace?: string;
  readonly image: string;
  readonly node?: string;
  readonly secrets?: readonly string[];
  readonly reason?: 'ErrImagePull' | 'ImagePullBackOff' | 'InvalidImageName' | 'ErrImageNeverPull';
  /** The runtime's error, as the kubelet's `Failed` event carries it after `Failed to pull image "…": `. */
  readonly error?: string;
  /** The pod's controller, e.g. a ReplicaSet. */
  readonly owner?: { readonly kind: string; readonly name: string; readonly apiVersion: string };
  readonly labels?: Readonly<Record<string, string>>;
  readonly pullPolicy?: string;
}

const MINUTE = 60_000;

/** Adds the pod and, when it has an error, its `Failed` and `BackOff` events (4 and 20 times, last 2 and 1 minute ago). */
export function addFailingPod(kube: FakeKubeApi, spec: FailingPodSpec, now = Date.now()): void {
  const namespace = spec.namespace ?? 'shop';
  const uid = `uid-${namespace}-${spec.name}`;
  const reason = spec.reason ?? 'ImagePullBackOff';
  const waitingMessage =
    reason === 'ImagePullBackOff' ? `Back-off pulling image "${spec.image}"` : `${spec.error ?? ''}`;
  kube.addPod({
    metadata: {
      name: spec.name,
      namespace,
      uid,
      labels: spec.labels ?? {},
      ...(spec.owner ? { ownerReferences: [{ ...spec.owner, uid: `uid-${spec.owner.name}`, controller: true }] } : {}),
    },
    spec: {
      nodeName: spec.node ?? 'node-amd64',
      serviceAccountName: 'default',
      ...(spec.secrets ? { imagePullSecrets: spec.secrets.map((name) => ({ name })) } : {}),
      containers: [{ name: 'app', image: spec.image, imagePullPolicy: spec.pullPolicy ?? 'IfNotPresent' }],
    },
    status: {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'app',
          image: spec.image,
          imageID: '',
          ready: false,
          restartCount: 0,
          started: false,
          state: { waiting: { reason, message: waitingMessage } },
        },
      ],
    },
  });
  if (spec.error === undefined) return;
  const event = (suffix: string, eventReason: string, message: string, count: number, agoMs: number) =>
    kube.addEvent({
      metadata: { name: `${spec.name}.${suffix}`, namespace },
      involvedObject: {
        kind: 'Pod',
        namespace,
        name: spec.name,
        uid,
        apiVersion: 'v1',
        fieldPath: 'spec.containers{app}',
      },
      reason: eventReason,
      message,
      source: { component: 'kubelet', host: spec.node ?? 'node-amd64' },
      firstTimestamp: new Date(now - 30 * MINUTE).toISOString().replace(/\.\d+Z$/, 'Z'),
      lastTimestamp: new Date(now - agoMs).toISOString().replace(/\.\d+Z$/, 'Z'),
      count,
      type: 'Warning',
      reportingComponent: 'kubelet',
      reportingInstance: spec.node ?? 'node-amd64',
    });
  // A runtime text taken whole from a node (it already says `Failed to pull image …`) is kept as it is.
  const whole = /^(Failed to |Container image )/.test(spec.error);
  event('1', 'Failed', whole ? spec.error : `Failed to pull image "${spec.image}": ${spec.error}`, 4, 2 * MINUTE);
  event('2', 'BackOff', `Back-off pulling image "${spec.image}"`, 20, MINUTE);
}

/** A running pod whose containers have their images. */
function addRunningPod(kube: FakeKubeApi, name: string, image: string, namespace = 'shop'): void {
  kube.addPod({
    metadata: { name, namespace, uid: `uid-${namespace}-${name}` },
    spec: { nodeName: 'node-amd64', containers: [{ name: 'app', image }] },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'app', image, imageID: `${image}@sha256:${'a'.repeat(64)}`, state: { running: {} } }],
    },
  });
}

export function addNode(kube: FakeKubeApi, name: string, architecture: string, runtime = 'containerd://2.1.4'): void {
  kube.addNode({
    metadata: { name, labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': architecture } },
    status: { nodeInfo: { operatingSystem: 'linux', architecture, containerRuntimeVersion: runtime } },
  });
}

/** Deployment `name` with its current ReplicaSet `name-hash`; returns the owner reference its pods carry. */
function addDeployment(kube: FakeKubeApi, name: string, hash: string, image: string, namespace = 'shop') {
  const template = { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } };
  kube.add('apps/deployments', {
    metadata: { name, namespace, uid: `uid-${name}`, annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template },
  });
  kube.add('apps/replicasets', {
    metadata: {
      name: `${name}-${hash}`,
      namespace,
      uid: `uid-${name}-${hash}`,
      labels: { app: name, 'pod-template-hash': hash },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: `uid-${name}`, controller: true }],
    },
    spec: { replicas: 1, selector: { matchLabels: { app: name, 'pod-template-hash': hash } }, template },
  });
  return {
    owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-${hash}` },
    labels: { app: name, 'pod-template-hash': hash },
  };
}

/** containerd 2.x's words for a tag the registry does not have. */
const notFoundText = (image: string): string =>
  `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve image: ${image}: not found`;

/**
 * The shop the diagnose tests and the documented session share, over a registry holding `team/app:1.0`, `1.1` and
 * `team/multi:1.0` (linux/amd64 only): pull secret `regcred` (alice), nodes `node-amd64` and `node-arm64`, and in
 * namespace `shop` (which must exist, with its `default` ServiceAccount) one pod per verdict:
 * `web-7c9d5f-abcde` of Deployment `web` on the missing tag `1.2`, `no-secret` (401), `on-arm` (no arm64 variant),
 * `fixed` (tag `1.1`, pushed since the node failed), `disk-full` (`no space left on device`), and `healthy` running.
 */
export function seedShop(kube: FakeKubeApi, reg: Pick<RegistryHandle, 'host' | 'users'>): void {
  const H = reg.host;
  kube.addSecret({
    metadata: { name: 'regcred', namespace: 'shop' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(dockerConfigJson(reg)).toString('base64') },
  });
  addNode(kube, 'node-amd64', 'amd64');
  addNode(kube, 'node-arm64', 'arm64');
  addFailingPod(kube, {
    name: 'web-7c9d5f-abcde',
    image: `${H}/team/app:1.2`,
    secrets: ['regcred'],
    error: notFoundText(`${H}/team/app:1.2`),
    ...addDeployment(kube, 'web', '7c9d5f', `${H}/team/app:1.2`),
  });
  addFailingPod(kube, {
    name: 'no-secret',
    image: `${H}/team/app:1.0`,
    error: `failed to pull and unpack image "${H}/team/app:1.0": failed to resolve image: unexpected status from HEAD request to https://${H}/v2/team/app/manifests/1.0: 401 Unauthorized`,
  });
  addFailingPod(kube, {
    name: 'on-arm',
    node: 'node-arm64',
    image: `${H}/team/multi:1.0`,
    secrets: ['regcred'],
    error: `rpc error: code = NotFound desc = failed to pull and unpack image "${H}/team/multi:1.0": no match for platform in manifest: not found`,
  });
  addFailingPod(kube, {
    name: 'fixed',
    image: `${H}/team/app:1.1`,
    secrets: ['regcred'],
    error: notFoundText(`${H}/team/app:1.1`),
  });
  addFailingPod(kube, {
    name: 'disk-full',
    image: `${H}/team/app:1.0`,
    secrets: ['regcred'],
    error: `rpc error: code = Unknown desc = failed to pull and unpack image "${H}/team/app:1.0": failed to extract layer sha256:${'1'.repeat(64)}: write /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/118/fs/usr/lib/libfoo.so: no space left on device: unknown`,
  });
  addRunningPod(kube, 'healthy', `${H}/team/app:1.0`);
}

/** The images {@link seedShop} expects in the registry. */
export async function pushShopImages(reg: RegistryHandle): Promise<void> {
  await pushImage(reg, { repository: 'team/app', tags: ['1.0', '1.1'], format: 'oci-manifest' });
  const amd64 = [{ os: 'linux', architecture: 'amd64' }];
  await pushImage(reg, { repository: 'team/multi', tags: ['1.0'], format: 'oci-index', platforms: amd64 });
}
