/**
 * Realistic `pullguard diagnose` reports for the pure output tests (a test helper, not shipped code). The missing-tag
 * and fixed-since containers are diagnosed by the real reconciler and fix builder from the node's real wording, so
 * their verdicts and commands are what diagnose prints; the node-side and hostile ones are written out.
 */
import type { Finding } from '../../src/policy/finding.js';
import type { ContainerFacts } from '../../src/diagnose/container-facts.js';
import { diagnoseContainer } from '../../src/diagnose/diagnosis.js';
import type { ContainerDiagnosisReport, DiagnoseReport, EngineView, PodDiagnosis } from '../../src/diagnose/report.js';

/** containerd 2.x's words for a tag that does not exist, as the kubelet's Failed event quotes them. */
export const NOT_FOUND_EVENT =
  'Failed to pull image "ghcr.io/acme/shop:1.4.3": failed to pull and unpack image "ghcr.io/acme/shop:1.4.3": failed to resolve reference "ghcr.io/acme/shop:1.4.3": ghcr.io/acme/shop:1.4.3: not found';
const DISK_FULL_RUNTIME =
  'failed to pull and unpack image "docker.io/library/postgres:17.6": failed to extract layer sha256:5b4c1f9ac1ce4a2fb1a4a1b2c1d0e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0: write /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/212/fs/usr/lib/postgresql/17/lib/llvmjit.so: no space left on device';
const DISK_FULL_EVENT = `Failed to pull image "docker.io/library/postgres:17.6": ${DISK_FULL_RUNTIME}`;
/** CRI-O's words for a registry that refused the pull, before the secret was fixed. */
const UNAUTHORIZED_EVENT =
  'Failed to pull image "registry.example:5000/team/report:2.0": initializing source docker://registry.example:5000/team/report:2.0: reading manifest 2.0 in registry.example:5000/team/report: unauthorized: authentication required';
/** A message written by whoever could create the pod: it tries to clear the screen and forge a line. */
export const HOSTILE_MESSAGE =
  'Failed to pull image "evil/x:1"\u001b[2J\u001b[H: fine\rPod:              shop/forged\nVerdict:        fixed since';

function facts(overrides: Partial<ContainerFacts>): ContainerFacts {
  return {
    namespace: 'shop',
    pod: 'web-7d9c8b6f5-x2x7q',
    container: 'app',
    section: 'containers',
    image: 'ghcr.io/acme/shop:1.4.3',
    canonical: 'ghcr.io/acme/shop:1.4.3',
    registryHost: 'ghcr.io',
    pullPolicy: 'IfNotPresent',
    serviceAccount: 'default',
    podPullSecrets: [],
    ...overrides,
  };
}

/** A container of the report, its reconciliation and fix made by the real diagnosis. */
function diagnosed(
  c: ContainerFacts,
  nodeMessage: string,
  findings: readonly Finding[],
  rest: Pick<ContainerDiagnosisReport, 'waiting' | 'events' | 'engine'>,
): ContainerDiagnosisReport {
  const { reconciliation, fix } = diagnoseContainer({ container: c, nodeMessage, findings });
  const { node, finding, ...verdict } = reconciliation;
  return {
    name: c.container,
    section: c.section,
    image: c.image,
    ...(c.pullPolicy ? { imagePullPolicy: c.pullPolicy } : {}),
    ...rest,
    runtimeError: { ...node, ...(finding ? { findingClass: finding.class } : {}), text: nodeMessage },
    reconciliation: { ...verdict, ...(finding ? { finding: { class: finding.class, cause: finding.cause } } : {}) },
    fix,
  };
}

const MISSING_TAG: Finding = {
  class: 'notFound',
  cause: 'tag "1.4.3" does not exist in ghcr.io/acme/shop; the closest existing tags are 1.4.2, 1.4.1.',
  fix: 'use an existing tag.',
  short: 'tag 1.4.3 not found',
  suggestions: ['1.4.2', '1.4.1'],
};
const checked = (findings: readonly Finding[]): EngineView => ({
  status: 'checked',
  findings: findings.map((f) => ({ class: f.class, cause: f.cause, ...(f.fix ? { fix: f.fix } : {}) })),
});

export const MISSING_TAG_POD: PodDiagnosis = {
  namespace: 'shop',
  name: 'web-7d9c8b6f5-x2x7q',
  owner: { kind: 'Deployment', name: 'web' },
  node: { name: 'n1', platform: { os: 'linux', architecture: 'arm64' }, containerRuntime: 'containerd://2.1.4' },
  serviceAccount: 'default',
  imagePullSecrets: [],
  containers: [
    diagnosed(facts({ owner: { kind: 'Deployment', name: 'web' } }), NOT_FOUND_EVENT, [MISSING_TAG], {
      waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "ghcr.io/acme/shop:1.4.3"' },
      events: {
        failed: {
          reason: 'Failed',
          message: NOT_FOUND_EVENT,
          count: 4,
          lastSeen: '2026-12-03T10:55:00.000Z',
          ageSeconds: 330,
          reportedBy: 'kubelet',
          host: 'n1',
        },
        backOff: {
          reason: 'BackOff',
          message: 'Back-off pulling image "ghcr.io/acme/shop:1.4.3"',
          count: 41,
          lastSeen: '2026-12-03T11:00:18.000Z',
          ageSeconds: 12,
          reportedBy: 'kubelet',
        },
      },
      engine: checked([MISSING_TAG]),
    }),
  ],
};

export const DISK_FULL_POD: PodDiagnosis = {
  namespace: 'data',
  name: 'pg-0',
  owner: { kind: 'StatefulSet', name: 'pg' },
  node: { name: 'n2', platform: { os: 'linux', architecture: 'amd64' }, containerRuntime: 'containerd://2.1.4' },
  serviceAccount: 'pg',
  imagePullSecrets: ['dockerhub'],
  containers: [
    diagnosed(
      facts({
        namespace: 'data',
        pod: 'pg-0',
        owner: { kind: 'StatefulSet', name: 'pg' },
        container: 'postgres',
        image: 'postgres:17.6',
        canonical: 'docker.io/library/postgres:17.6',
        registryHost: 'docker.io',
        serviceAccount: 'pg',
        podPullSecrets: ['dockerhub'],
      }),
      DISK_FULL_EVENT,
      [],
      {
        waiting: { reason: 'ErrImagePull', message: `rpc error: code = Unknown desc = ${DISK_FULL_RUNTIME}` },
        events: {
          failed: { reason: 'Failed', message: DISK_FULL_EVENT, count: 2, ageSeconds: 2 * 86400 + 3 * 3600 + 120 },
        },
        engine: checked([]),
      },
    ),
  ],
};

export const FIXED_SINCE_POD: PodDiagnosis = {
  namespace: 'jobs',
  name: 'report',
  node: {
    name: 'n3',
    platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    containerRuntime: 'cri-o://1.34.1',
  },
  serviceAccount: 'reporter',
  imagePullSecrets: ['team-registry'],
  containers: [
    diagnosed(
      facts({
        namespace: 'jobs',
        pod: 'report',
        container: 'report',
        image: 'registry.example:5000/team/report:2.0',
        canonical: 'registry.example:5000/team/report:2.0',
        registryHost: 'registry.example:5000',
        serviceAccount: 'reporter',
        podPullSecrets: ['team-registry'],
      }),
      UNAUTHORIZED_EVENT,
      [],
      {
        waiting: {
          reason: 'ImagePullBackOff',
          message: 'Back-off pulling image "registry.example:5000/team/report:2.0"',
        },
        events: { failed: { reason: 'Failed', message: UNAUTHORIZED_EVENT, count: 7, ageSeconds: 7 * 3600 + 59 * 60 } },
        engine: checked([]),
      },
    ),
  ],
};

export const HOSTILE_POD: PodDiagnosis = {
  namespace: 'evil',
  name: 'x',
  owner: { kind: 'Deployment', name: 'x\u001b]0;owned\u0007' },
  node: { name: 'n1' },
  serviceAccount: 'default',
  imagePullSecrets: [],
  containers: [
    diagnosed(
      facts({ namespace: 'evil', pod: 'x', image: 'evil/x:1', registryHost: 'docker.io' }),
      HOSTILE_MESSAGE,
      [],
      {
        waiting: { reason: 'ErrImagePull', message: HOSTILE_MESSAGE },
        events: { failed: { reason: 'Failed', message: HOSTILE_MESSAGE, count: 1 } },
        engine: { status: 'not-checked', reason: 'the registry did not answer within 10s\r\u001b[2K' },
      },
    ),
  ],
};

const NOT_FAILING = 'pod shop/api-5c6f8-qq9zt is not failing: its containers have their images.';
const UNREAD = 'cannot read events in namespace shop: forbidden';
const PROBLEM = 'pod shop/gone does not exist';

/** Every case at once, with the sentences of the targets not failing, the reads that failed and the problems. */
export const FULL_REPORT: DiagnoseReport = {
  pods: [MISSING_TAG_POD, DISK_FULL_POD, FIXED_SINCE_POD, HOSTILE_POD],
  notFailing: [NOT_FAILING],
  problems: [PROBLEM],
  unread: [UNREAD],
};
