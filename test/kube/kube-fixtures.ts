/** Builders for the v1 objects the credential tests put into the fake API. */
import { loadKubeAccess, type KubeAccess } from '../../src/kube/kube-config.js';
import { startFakeKubeApi, type FakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';

export const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** A password planted in secrets; it must never show up in findings, messages or errors. */
export const PLANTED_PASSWORD = 'planted-S3cret-pw-7f3a';

export function dockerConfigJsonSecret(namespace: string, name: string, auths: Record<string, object>): object {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) },
  };
}

export function dockercfgSecret(namespace: string, name: string, map: Record<string, object>): object {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'kubernetes.io/dockercfg',
    data: { '.dockercfg': b64(JSON.stringify(map)) },
  };
}

export function serviceAccount(namespace: string, name: string, pullSecrets: readonly string[]): object {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace },
    imagePullSecrets: pullSecrets.map((secret) => ({ name: secret })),
  };
}

export const basicAuth = (username: string, password: string): object => ({ auth: b64(`${username}:${password}`) });

/** A fake API server and the KubeAccess that reaches it through a kubeconfig, as pullguard would. */
export async function startKubeAccess(): Promise<{ api: FakeKubeApi; kube: KubeAccess }> {
  const api = await startFakeKubeApi();
  const kube = loadKubeAccess({ mode: true, kubeconfigPath: api.kubeconfigPath, env: {}, homeDir: '/nonexistent' });
  if (kube === undefined) throw new Error('no kube access');
  return { api, kube };
}
