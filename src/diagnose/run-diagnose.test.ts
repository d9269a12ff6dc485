import { readFileSync } from 'node:fs';
import t from 'tap';
import type { Finding } from '../policy/finding.js';
import type { DiagnoseCluster, ReadResult } from './cluster-port.js';
import type { ImageCheck, PodCheck, PodCheckPort } from './pod-check-port.js';
import { exitCodeOf } from './report.js';
import { MAX_DIAGNOSED_PODS, runDiagnose } from './run-diagnose.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/diagnose/${name}`, import.meta.url), 'utf8'));
const workloads = fixture('workloads.json') as Record<string, unknown>;
const backoffPod = fixture('pod-image-pull-backoff.json');
const coreEvents = fixture('events-core-v1.json');
const NOW = new Date('2026-11-20T10:30:00Z');

const list = (items: readonly unknown[]) => ({ kind: 'List', items });
const itemsOf = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : ((value as { items: unknown[] }).items ?? []);
const meta = (o: unknown) => (o as { metadata: { name: string; namespace?: string } }).metadata;
const found = (value: unknown): ReadResult<unknown> => ({ status: 'found', value });
const NOT_FOUND: ReadResult<unknown> = { status: 'not-found' };
const FORBIDDEN: ReadResult<unknown> = { status: 'error', kind: 'forbidden', detail: 'HTTP 403' };

interface Cluster extends DiagnoseCluster {
  calls: string[];
}

/** The fixtures' cluster in memory; `overrides` replace a call's answer by its name. */
function cluster(
  overrides: Partial<Record<string, ReadResult<unknown>>> = {},
  extraPods: unknown[] = [],
  { backoff = true } = {},
): Cluster {
  // The backoff fixture (with its events) stands in for the workloads' pod of the same name, unless told not to.
  const pods = [
    ...(backoff ? [backoffPod] : []),
    ...itemsOf(workloads['pods']).filter((p) => !backoff || meta(p).name !== meta(backoffPod).name),
    ...extraPods,
  ];
  const byKind: Record<string, unknown[]> = {
    deployment: [workloads['deployment']],
    statefulset: [workloads['statefulSet']],
    daemonset: [workloads['daemonSet']],
    cronjob: [workloads['cronJob']],
    replicaset: itemsOf(workloads['replicaSets']),
    job: itemsOf(workloads['jobs']),
  };
  const calls: string[] = [];
  const answer = (call: string, value: () => ReadResult<unknown>) => {
    calls.push(call);
    return Promise.resolve(overrides[call.split(' ')[0] ?? ''] ?? value());
  };
  const named = (objects: unknown[], namespace: string, name: string) => {
    const object = objects.find((o) => meta(o).name === name && (meta(o).namespace ?? namespace) === namespace);
    return object ? found(object) : NOT_FOUND;
  };
  return {
    calls,
    getPod: (ns, name) => answer(`getPod ${ns}/${name}`, () => named(pods, ns, name)),
    listPods: (ns) =>
      answer(`listPods ${ns ?? '*'}`, () =>
        found(list(pods.filter((p) => ns === undefined || meta(p).namespace === ns))),
      ),
    getWorkload: (kind, ns, name) =>
      answer(`getWorkload ${kind} ${ns}/${name}`, () => named(byKind[kind] ?? [], ns, name)),
    listReplicaSets: (ns) => answer(`listReplicaSets ${ns}`, () => found(list(byKind['replicaset'] ?? []))),
    listJobs: (ns) => answer(`listJobs ${ns}`, () => found(list(byKind['job'] ?? []))),
    listPodEvents: (pod) => answer(`listPodEvents ${pod.namespace}/${pod.name}`, () => found(coreEvents)),
    getNode: (name) =>
      answer(`getNode ${name}`, () =>
        found({
          metadata: { name, labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' } },
          status: {
            nodeInfo: {
              operatingSystem: 'linux',
              architecture: 'arm64',
              containerRuntimeVersion: 'containerd://2.1.4',
            },
          },
        }),
      ),
  };
}

const notFound = (tags: string[]): Finding => ({
  class: 'notFound',
  cause: 'tag "1.25.3" does not exist in docker.io/bitnami/nginx.',
  short: 'tag not found',
  suggestions: tags,
});

/** An engine that finds `findings` for the container `app` and nothing for the others. */
function engine(findings: Finding[], seen: unknown[] = []): PodCheckPort {
  return (pod, node) => {
    seen.push(node);
    const spec = (pod as { spec: Record<string, { name: string }[] | undefined> }).spec;
    const images: ImageCheck[] = (['initContainers', 'containers', 'ephemeralContainers'] as const).flatMap((section) =>
      (spec[section] ?? []).map((c) => ({
        section,
        name: c.name,
        registryHost: 'docker.io',
        findings: c.name === 'app' ? findings : [],
      })),
    );
    return Promise.resolve<PodCheck>({ status: 'checked', images, unread: [] });
  };
}

const deps = (c: DiagnoseCluster, checkPod: PodCheckPort = engine([notFound(['1.25.2'])])) => ({
  cluster: c,
  checkPod,
  now: () => NOW,
  signal: new AbortController().signal,
});

t.test(
  'a pod in back-off on a missing tag: the node, the event, the closest tag and the fix on its Deployment',
  async (t) => {
    const seen: unknown[] = [];
    const c = cluster();
    const report = await runDiagnose(
      { targets: [{ kind: 'pod', name: 'web-6f9c7d8b5-x2q7k' }], namespace: 'shop', allNamespaces: false },
      deps(c, engine([notFound(['1.25.2'])], seen)),
    );
    t.equal(exitCodeOf(report), 1);
    t.equal(report.pods.length, 1);
    const [pod] = report.pods;
    t.same(pod?.owner, { kind: 'Deployment', name: 'web' }, 'the ReplicaSet read names its Deployment');
    t.same(pod?.node, {
      name: 'worker-2',
      platform: { os: 'linux', architecture: 'arm64' },
      containerRuntime: 'containerd://2.1.4',
    });
    t.equal(meta(seen[0]).name, 'worker-2', "the engine gets the pod's node");
    const app = pod?.containers.find((x) => x.name === 'app');
    t.equal(app?.runtimeError.kind, 'notFound');
    t.equal(app?.runtimeError.findingClass, 'notFound');
    t.match(app?.events.failed?.message, /^Failed to pull image "bitnami\/nginx:1\.25\.3"/);
    t.equal(app?.reconciliation.verdict, 'still-broken');
    t.match(app?.fix.steps[0]?.command, /^kubectl set image deployment\/web app=bitnami\/nginx:1\.25\.2 -n shop$/);
    t.same(report.problems, []);
    t.ok(c.calls.includes('getWorkload replicaset shop/web-6f9c7d8b5'));
  },
);

t.test('the same image found now: fixed since, and the retry command', async (t) => {
  const report = await runDiagnose(
    { targets: [{ kind: 'pod', name: 'web-6f9c7d8b5-x2q7k' }], namespace: 'shop', allNamespaces: false },
    deps(cluster(), engine([])),
  );
  const app = report.pods[0]?.containers.find((x) => x.name === 'app');
  t.equal(app?.reconciliation.verdict, 'fixed-since');
  t.match(app?.fix.steps[0]?.command, /kubectl delete pod web-6f9c7d8b5-x2q7k -n shop/);
});

t.test('a pod that does not exist is a problem (exit 2); a healthy one is said and exits 0', async (t) => {
  const missing = await runDiagnose(
    { targets: [{ kind: 'pod', name: 'nope' }], namespace: 'shop', allNamespaces: false },
    deps(cluster()),
  );
  t.same(missing.problems, ['pod "nope" not found in namespace shop']);
  t.equal(exitCodeOf(missing), 2);
  const healthy = await runDiagnose(
    { targets: [{ kind: 'pod', name: 'standalone' }], namespace: 'shop', allNamespaces: false },
    deps(cluster()),
  );
  t.same(healthy.notFailing, ['pod shop/standalone is not failing: no container is waiting on an image pull']);
  t.equal(exitCodeOf(healthy), 0);
});

t.test('events and the ReplicaSet forbidden: diagnosed anyway, and what could not be read is said', async (t) => {
  const report = await runDiagnose(
    { targets: [{ kind: 'pod', name: 'web-6f9c7d8b5-x2q7k' }], namespace: 'shop', allNamespaces: false },
    deps(cluster({ listPodEvents: FORBIDDEN, getWorkload: FORBIDDEN, getNode: FORBIDDEN })),
  );
  t.equal(report.pods.length, 1);
  t.same(report.pods[0]?.owner, { kind: 'Deployment', name: 'web' }, 'from the pod-template-hash in the name');
  t.match(report.unread.join('\n'), /cannot read the events of pod shop\/web-6f9c7d8b5-x2q7k \(forbidden: HTTP 403\)/);
  t.match(
    report.unread.join('\n'),
    /cannot read ReplicaSet shop\/web-6f9c7d8b5 \(forbidden: HTTP 403\); its name says Deployment web/,
  );
  t.match(report.unread.join('\n'), /cannot read node worker-2/);
  const app = report.pods[0]?.containers.find((x) => x.name === 'app');
  t.equal(app?.runtimeError.kind, 'unknown', 'a back-off message alone does not say what failed');
  t.equal(app?.reconciliation.verdict, 'still-broken', "pullguard's own finding still explains it");
  t.equal(exitCodeOf(report), 1);
});

t.test('a pod that cannot be read at all is a problem naming why', async (t) => {
  const report = await runDiagnose(
    { targets: [{ kind: 'pod', name: 'web-6f9c7d8b5-x2q7k' }], namespace: 'shop', allNamespaces: false },
    deps(cluster({ getPod: FORBIDDEN })),
  );
  t.same(report.problems, ['cannot read pod shop/web-6f9c7d8b5-x2q7k (forbidden: HTTP 403)']);
});

t.test('--all-namespaces lists exactly the failing pods, by namespace and name', async (t) => {
  const other = {
    ...(backoffPod as object),
    metadata: { ...meta(backoffPod), name: 'a-first', namespace: 'aaa', uid: 'u-a' },
  };
  const report = await runDiagnose(
    { targets: [], namespace: 'default', allNamespaces: true },
    deps(cluster({}, [other])),
  );
  t.same(
    report.pods.map((p) => `${p.namespace}/${p.name}`),
    [
      'aaa/a-first',
      'shop/agent-k8x2p',
      'shop/db-1',
      'shop/nightly-29412360-q7r8s',
      'shop/web-5c9f8d7b6-bbbbb',
      'shop/web-6f9c7d8b5-x2q7k',
    ],
  );
  t.equal(exitCodeOf(report), 1);
});

t.test('a Deployment means its current pods; a healthy workload says so', async (t) => {
  const report = await runDiagnose(
    { targets: [{ kind: 'deployment', name: 'web' }], namespace: 'shop', allNamespaces: false },
    deps(cluster({}, [], { backoff: false })),
  );
  t.same(
    report.pods.map((p) => p.name),
    ['web-6f9c7d8b5-x2q7k'],
    "the older ReplicaSet's failing pod is not current",
  );
  const missing = await runDiagnose(
    { targets: [{ kind: 'statefulset', name: 'nope' }], namespace: 'shop', allNamespaces: false },
    deps(cluster()),
  );
  t.same(missing.problems, ['statefulset "nope" not found in namespace shop']);
  const listForbidden = await runDiagnose(
    { targets: [{ kind: 'deployment', name: 'web' }], namespace: 'shop', allNamespaces: false },
    deps(cluster({ listReplicaSets: FORBIDDEN })),
  );
  t.same(listForbidden.problems, [
    'cannot diagnose deployment shop/web: cannot list replicasets in namespace shop (forbidden: HTTP 403)',
  ]);
});

t.test('an engine that throws leaves the node view: not checked, never a fixed-since', async (t) => {
  const report = await runDiagnose(
    { targets: [{ kind: 'pod', name: 'web-6f9c7d8b5-x2q7k' }], namespace: 'shop', allNamespaces: false },
    deps(cluster(), () => Promise.reject(new TypeError('boom'))),
  );
  const app = report.pods[0]?.containers.find((x) => x.name === 'app');
  t.equal(app?.engine.status, 'not-checked');
  t.equal(app?.reconciliation.verdict, 'not-checked');
  t.match(app?.reconciliation.reason, /could not check the image now \(the check failed \(TypeError\)\)/);
});

t.test('the same pod named twice is diagnosed once; more failing pods than the cap are said', async (t) => {
  const twice = await runDiagnose(
    {
      targets: [
        { kind: 'pod', name: 'web-6f9c7d8b5-x2q7k' },
        { kind: 'deployment', name: 'web' },
      ],
      namespace: 'shop',
      allNamespaces: false,
    },
    deps(cluster()),
  );
  t.equal(twice.pods.length, 1);
  const many = Array.from({ length: MAX_DIAGNOSED_PODS + 1 }, (_, i) => ({
    ...(backoffPod as object),
    metadata: { ...meta(backoffPod), name: `p-${i}`, uid: `u-${i}` },
  }));
  const capped = await runDiagnose({ targets: [], namespace: 'x', allNamespaces: true }, deps(cluster({}, many)));
  t.equal(capped.pods.length, MAX_DIAGNOSED_PODS);
  t.match(capped.unread.join('\n'), /only the first 500 are diagnosed/);
});
