/** Workload objects of every audited kind, for the lister and informer tests against the fake API. */
import { KubeConfig } from '@kubernetes/client-node';
import type { FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import type { ResourceKey } from '../harness/fake-kube-api/resources.js';

const podSpec = (image: string) => ({ containers: [{ name: 'app', image }] });
const template = (image: string) => ({ metadata: { labels: { app: 'x' } }, spec: podSpec(image) });

export interface Meta {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Record<string, string>;
}

/** A Deployment (replicas as given), with the fields a real API server adds that the lister drops. */
export const deployment = (meta: Meta, image: string, replicas = 1): object => ({
  metadata: {
    ...meta,
    managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"a":1}' },
  },
  spec: { replicas, selector: { matchLabels: { app: 'x' } }, template: template(image) },
  status: { replicas, availableReplicas: replicas },
});

const cronJob = (meta: Meta, image: string): object => ({
  metadata: meta,
  spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: template(image) } } },
});

const templated = (meta: Meta, image: string): object => ({
  metadata: meta,
  spec: { selector: { matchLabels: { app: 'x' } }, template: template(image) },
});

const pod = (meta: Meta, image: string, phase = 'Running'): object => ({
  metadata: meta,
  spec: podSpec(image),
  status: { phase, conditions: [{ type: 'Ready', status: 'True' }] },
});

/** One object of every built-in kind the audit lists, in `namespace`. */
export function addOneOfEach(api: FakeKubeApi, namespace: string, labels?: Record<string, string>): void {
  const meta = (name: string): Meta => ({ name, namespace, ...(labels ? { labels } : {}) });
  const add = (key: ResourceKey, object: object) => api.add(key, object);
  add('apps/deployments', deployment(meta('idle'), 'registry.example/idle:1', 0));
  add('apps/statefulsets', templated(meta('db'), 'registry.example/db:1'));
  add('apps/daemonsets', templated(meta('agent'), 'registry.example/agent:1'));
  add('apps/replicasets', templated(meta('bare-rs'), 'registry.example/rs:1'));
  add('replicationcontrollers', templated(meta('legacy'), 'registry.example/rc:1'));
  add('batch/jobs', { metadata: meta('once'), spec: { template: template('registry.example/job:1') } });
  add('batch/cronjobs', cronJob(meta('nightly'), 'registry.example/nightly:1'));
  add('pods', pod(meta('lonely'), 'registry.example/pod:1'));
}

export function kubeConfigOf(api: FakeKubeApi): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.kubeconfigPath);
  return kubeConfig;
}

/** Polls `condition` every 10 ms, up to `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}
