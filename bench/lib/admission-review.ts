/**
 * AdmissionReview v1 bodies as the API server sends them for a Deployment CREATE, and the checks the bench applies
 * to pullguard's answers.
 */
import { randomUUID } from 'node:crypto';

/** The POST path, with the `timeout` query the API server adds (webhook `timeoutSeconds: 10`). */
export const VALIDATE_PATH = '/validate?timeout=10s';

/** A realistic Deployment CREATE review with one container per image (labels, resources, probes, env). */
export function deploymentReview(options: { images: readonly string[]; name?: string; uid?: string }): string {
  const name = options.name ?? 'web';
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'shop', tier: 'frontend' };
  const containers = options.images.map((image, i) => ({
    name: `c${i}`,
    image,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ containerPort: 8080 + i, protocol: 'TCP' }],
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port: 8080 + i }, periodSeconds: 10 },
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  }));
  const object = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', labels, annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'default',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          containers,
        },
      },
    },
  };
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: options.uid ?? randomUUID(),
      kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      resource: { group: 'apps', version: 'v1', resource: 'deployments' },
      requestKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      requestResource: { group: 'apps', version: 'v1', resource: 'deployments' },
      name,
      namespace: 'shop',
      operation: 'CREATE',
      userInfo: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
      object,
      oldObject: null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions', fieldManager: 'kubectl-client-side-apply' },
    },
  });
}

/** A 200 AdmissionReview that allows without warnings: every image resolved and was found. */
export function isCleanAllow(statusCode: number, body: string): boolean {
  if (statusCode !== 200) return false;
  const response = (JSON.parse(body) as { response?: { allowed?: unknown; warnings?: unknown } }).response;
  return response?.allowed === true && response.warnings === undefined;
}

/** The same check for the baseline, which only ever allows. */
export function isAllow(statusCode: number, body: string): boolean {
  return statusCode === 200 && body.includes('"allowed":true');
}

/** A short description of an unexpected answer, for error messages (no credentials ever appear in these). */
export function describeAnswer(statusCode: number, body: string): string {
  return `HTTP ${statusCode}: ${body.slice(0, 400)}`;
}
