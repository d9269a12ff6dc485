/**
 * The cluster `pullguard scan`'s tests read: the real Distribution registry (basic auth over TLS) holding the images,
 * the fake Kubernetes API holding the workloads admitted while every tag existed (a Deployment scaled to zero, a
 * CronJob, a private image without a secret, a Deployment with its ReplicaSet and Pod, shared images, six tags to
 * pace, an arm64-only StatefulSet, a namespace pullguard is off in, two nodes), and then one tag deleted from the
 * registry.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { harnessHttp } from '../harness/registry/http-client.js';
import { dockerConfigJson, pushImage, startRegistry } from '../harness/registry/index.js';
import type { RegistryHandle } from '../harness/registry/types.js';
import { startShopCluster } from '../helpers/shop-cluster.js';

export interface ScanCluster {
  readonly reg: RegistryHandle;
  readonly kube: FakeKubeApi;
  readonly dir: string;
  /** The default config: the registry and its CA. */
  readonly configPath: string;
  /** Writes another config (the registry and its CA, plus `extra`) and returns its path. */
  writeConfig(name: string, extra?: object): Promise<string>;
}

export async function startScanCluster(t: { teardown(fn: () => unknown): void }): Promise<ScanCluster> {
  const reg = await startRegistry({ mode: 'basic' });
  t.teardown(() => reg.stop());
  const H = reg.host;
  await pushImage(reg, { repository: 'team/app', tags: ['1.0'], format: 'oci-manifest' });
  const doomed = await pushImage(reg, { repository: 'team/app', tags: ['1.1'], format: 'oci-manifest', salt: 'b' });
  await pushImage(reg, { repository: 'team/report', tags: ['2.0'], format: 'oci-manifest' });
  await pushImage(reg, { repository: 'team/shared', tags: ['1.0'], format: 'oci-index' }); // linux/amd64 only
  for (let i = 0; i < 6; i++)
    await pushImage(reg, { repository: 'team/paced', tags: [`${i}`], format: 'oci-manifest', salt: `${i}` });

  const kube = await startShopCluster(t);
  for (const architecture of ['amd64', 'arm64'])
    kube.addNode({
      metadata: {
        name: `node-${architecture}`,
        labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': architecture },
      },
      status: { nodeInfo: { operatingSystem: 'linux', architecture, containerRuntimeVersion: 'containerd://2.1.4' } },
    });
  const dir = await mkdtemp(join(tmpdir(), 'pullguard-scan-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const writeConfig = async (name: string, extra: object = {}): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify({ registries: [{ host: H, caFile: reg.caFile }], ...extra }));
    return path;
  };
  const configPath = await writeConfig('pullguard.yaml');

  const SECRETS = [{ name: 'regcred' }];
  for (const namespace of ['shop', 'tools', 'paced', 'arm', 'quiet']) {
    if (namespace !== 'shop') {
      kube.addNamespace({
        metadata: { name: namespace, ...(namespace === 'quiet' ? { labels: { 'pullguard.io/mode': 'off' } } : {}) },
      });
      kube.addServiceAccount({ metadata: { namespace, name: 'default' } });
    }
    kube.addSecret({
      metadata: { name: 'regcred', namespace },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(dockerConfigJson(reg)).toString('base64') },
    });
  }
  const podSpec = (image: string, secrets: object[] = SECRETS) => ({
    imagePullSecrets: secrets,
    containers: [{ name: 'app', image }],
  });
  const deployment = (
    namespace: string,
    name: string,
    image: string,
    extra: { replicas?: number; secrets?: object[] } = {},
  ) =>
    kube.add('apps/deployments', {
      metadata: { name, namespace, uid: `uid-${name}`, labels: { app: name } },
      spec: {
        replicas: extra.replicas ?? 1,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: podSpec(image, extra.secrets) },
      },
    });

  // Admitted while every tag existed.
  deployment('shop', 'web', `${H}/team/app:1.1`, { replicas: 0 });
  deployment('shop', 'api', `${H}/team/app:1.0`);
  deployment('shop', 'private', `${H}/team/report:2.0`, { secrets: [] });
  kube.add('batch/cronjobs', {
    metadata: { name: 'nightly', namespace: 'shop', labels: { app: 'nightly' } },
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: { spec: { template: { spec: { ...podSpec(`${H}/team/app:1.1`), restartPolicy: 'OnFailure' } } } },
    },
  });
  // The api Deployment's ReplicaSet and Pod: their pulls are the Deployment's, never counted twice.
  kube.add('apps/replicasets', {
    metadata: {
      name: 'api-5d8f',
      namespace: 'shop',
      labels: { app: 'api' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'uid-api', controller: true }],
    },
    spec: { replicas: 1, selector: { matchLabels: { app: 'api' } }, template: { spec: podSpec(`${H}/team/app:1.0`) } },
  });
  kube.addPod({
    metadata: {
      name: 'api-5d8f-x1',
      namespace: 'shop',
      labels: { app: 'api' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-5d8f', uid: 'uid-rs', controller: true },
      ],
    },
    spec: { ...podSpec(`${H}/team/app:1.0`), nodeName: 'node-1' },
    status: { phase: 'Running' },
  });
  deployment('tools', 'one', `${H}/team/shared:1.0`);
  deployment('tools', 'two', `${H}/team/shared:1.0`);
  kube.addPod({ metadata: { name: 'debug', namespace: 'tools' }, spec: podSpec(`${H}/team/shared:1.0`), status: {} });
  for (let i = 0; i < 6; i++) deployment('paced', `p${i}`, `${H}/team/paced:${i}`);
  deployment('quiet', 'legacy', `${H}/team/app:1.1`);
  kube.add('apps/statefulsets', {
    metadata: { name: 'db', namespace: 'arm' },
    spec: {
      selector: { matchLabels: { app: 'db' } },
      template: {
        metadata: { labels: { app: 'db' } },
        spec: { ...podSpec(`${H}/team/shared:1.0`), nodeSelector: { 'kubernetes.io/arch': 'arm64' } },
      },
    },
  });

  // Then the tag is deleted from the registry.
  const http = harnessHttp(reg.caPem);
  t.teardown(() => http.close());
  const auth = `Basic ${Buffer.from(`alice:${reg.users['alice']}`).toString('base64')}`;
  const deleted = await http.send(`https://${H}/v2/team/app/manifests/${doomed.digest}`, {
    method: 'DELETE',
    headers: { authorization: auth },
  });
  if (deleted.status !== 202) throw new Error(`the registry did not delete the manifest: HTTP ${deleted.status}`);
  return { reg, kube, dir, configPath, writeConfig };
}
