/**
 * A cluster with pods that fail to pull, for `pullguard diagnose` tests: Pods shaped as the kubelet leaves them
 * (`status.containerStatuses[].state.waiting`), the kubelet's `Failed` and `BackOff` events about them, Nodes with
 * their platform and runtime, and the Deployment → ReplicaSet → Pod chain, all in the fake Kubernetes API.
 */
import type { FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';

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
export function addRunningPod(kube: FakeKubeApi, name: string, image: string, namespace = 'shop'): void {
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
export function addDeployment(kube: FakeKubeApi, name: string, hash: string, image: string, namespace = 'shop') {
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
