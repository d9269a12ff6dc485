import { readFileSync } from 'node:fs';
import t from 'tap';
import { currentPods, MAX_ITEMS, type CurrentPodsReading } from './current-pods.js';

interface Fixture {
  readonly deployment: unknown;
  readonly statefulSet: unknown;
  readonly daemonSet: unknown;
  readonly cronJob: unknown;
  readonly replicaSets: { readonly items: unknown[] };
  readonly jobs: { readonly items: unknown[] };
  readonly pods: { readonly items: unknown[] };
}
const fx = JSON.parse(
  readFileSync(new URL('../../test/fixtures/diagnose/workloads.json', import.meta.url), 'utf8'),
) as Fixture;
const lists = { pods: fx.pods.items, replicaSets: fx.replicaSets.items, jobs: fx.jobs.items };
const names = (list: readonly unknown[]) => list.map((p) => (p as { metadata: { name: string } }).metadata.name);
const split = (reading: CurrentPodsReading) =>
  reading.ok ? { current: names(reading.current), older: names(reading.older) } : reading.problem;

t.test('a Deployment: the pods of the ReplicaSet at its revision are current, the older ones are older', async (t) => {
  t.same(split(currentPods('deployment', fx.deployment, lists)), {
    current: ['web-6f9c7d8b5-x2q7k'],
    older: ['web-5c9f8d7b6-aaaaa', 'web-5c9f8d7b6-bbbbb'],
  });
  const reading = currentPods('deployment', fx.deployment, lists);
  t.equal(reading.ok && reading.current[0], fx.pods.items[2], 'the pod objects as given');
  const noRevision = structuredClone(fx.deployment) as { metadata: { annotations?: unknown } };
  delete noRevision.metadata.annotations;
  t.same(
    split(currentPods('deployment', noRevision, lists)),
    {
      current: ['web-6f9c7d8b5-x2q7k'],
      older: ['web-5c9f8d7b6-aaaaa', 'web-5c9f8d7b6-bbbbb'],
    },
    'without its annotation, the ReplicaSet with the highest revision',
  );
  t.same(split(currentPods('deployment', fx.deployment, { pods: fx.pods.items })), { current: [], older: [] });
});

t.test('a ReplicaSet, a DaemonSet and a Job: every pod they control and select', async (t) => {
  t.same(split(currentPods('replicaset', fx.replicaSets.items[0], lists)), {
    current: ['web-5c9f8d7b6-aaaaa', 'web-5c9f8d7b6-bbbbb'],
    older: [],
  });
  t.same(split(currentPods('daemonset', fx.daemonSet, lists)), { current: ['agent-k8x2p'], older: [] });
  t.same(split(currentPods('job', fx.jobs.items[1], lists)), { current: ['nightly-29412360-q7r8s'], older: [] });
});

t.test('a StatefulSet: pods at its update revision are current', async (t) => {
  t.same(split(currentPods('statefulset', fx.statefulSet, lists)), { current: ['db-1'], older: ['db-0'] });
  const noRevision = structuredClone(fx.statefulSet) as { status?: unknown };
  delete noRevision.status;
  t.same(split(currentPods('statefulset', noRevision, lists)), { current: ['db-0', 'db-1'], older: [] });
});

t.test('a CronJob: the pods of its unfinished Jobs are current, of its finished ones older', async (t) => {
  t.same(split(currentPods('cronjob', fx.cronJob, lists)), {
    current: ['nightly-29412360-q7r8s'],
    older: ['nightly-29410920-m4n5p'],
  });
});

t.test('ownership needs the controller reference, the uid, the namespace and the selector', async (t) => {
  const pod = (over: Record<string, unknown>, labels: Record<string, string> = { app: 'agent' }) => ({
    metadata: {
      name: 'x',
      namespace: 'shop',
      labels,
      ownerReferences: [
        { kind: 'DaemonSet', name: 'agent', uid: 'da000000-0000-4000-8000-000000000001', controller: true },
      ],
      ...over,
    },
  });
  const ref = (r: Record<string, unknown>) => ({
    ownerReferences: [{ kind: 'DaemonSet', name: 'agent', controller: true, ...r }],
  });
  const strangers = [
    pod(ref({ controller: false })),
    pod(ref({ uid: 'another' })),
    pod(ref({ name: 'other' })),
    pod(ref({ kind: 'ReplicaSet' })),
    pod({ namespace: 'other' }),
    pod({}, { app: 'other' }),
    pod({ ownerReferences: null }),
    { metadata: { name: '' } },
    'not an object',
  ];
  t.same(split(currentPods('daemonset', fx.daemonSet, { pods: strangers })), { current: [], older: [] });
  t.same(split(currentPods('daemonset', fx.daemonSet, { pods: [pod(ref({ uid: null }))] })), {
    current: ['x'],
    older: [],
  });
});

t.test('bad input: a problem for the workload, skipped items, bounded lists', async (t) => {
  t.same(currentPods('cronjob', { metadata: {} }, lists), { ok: false, problem: 'not a CronJob object' });
  t.same(currentPods('deployment', null, lists), { ok: false, problem: 'not a Deployment object' });
  const many = [...Array.from({ length: MAX_ITEMS }, () => null), fx.pods.items[6]];
  const capped = currentPods('daemonset', fx.daemonSet, { pods: many });
  t.same(split(capped), { current: [], older: [] }, 'the pod past the cap is not read');
  t.equal(capped.ok && capped.truncated, true);
  t.equal((currentPods('daemonset', fx.daemonSet, lists) as { truncated: boolean }).truncated, false);
});
