import t from 'tap';
import { BUILT_IN_WORKLOADS } from '../workload/workload-catalog.js';
import type { AuditCheckPort } from './audit-check-port.js';
import type { CheckResult } from './audit-state.js';
import { buildInventory, type WorkloadObject } from './inventory.js';
import { runScan, type ScanListing } from './run-scan.js';

const deployment = (namespace: string, name: string, images: string[]): WorkloadObject => ({
  group: 'apps',
  kind: 'Deployment',
  object: {
    metadata: { name, namespace },
    spec: { replicas: 0, template: { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } },
  },
});

const NO_LISTING: ScanListing = { problems: [], notServed: [], capped: false };
const MISSING: CheckResult = { outcome: 'unavailable', class: 'notFound', message: 'tag "2" does not exist.' };

const byImage =
  (answers: Record<string, CheckResult>): AuditCheckPort =>
  async (check) =>
    answers[check.image] ?? { outcome: 'available' };

t.test('one row per use, sorted, with the check outcome; one check per distinct image', async (t) => {
  const inventory = buildInventory(BUILT_IN_WORKLOADS, [
    deployment('web', 'b', ['reg.example.com/a:2']),
    deployment('web', 'a', ['reg.example.com/a:2', 'reg.example.com/ok:1']),
    deployment('api', 'z', ['reg.example.com/ok:1']),
  ]);
  const asked: string[] = [];
  const report = await runScan(inventory, NO_LISTING, {
    check: async (check, signal) => {
      asked.push(check.image);
      return byImage({ 'reg.example.com/a:2': MISSING })(check, signal);
    },
    concurrency: 2,
    signal: new AbortController().signal,
  });
  t.same(asked.sort(), ['reg.example.com/a:2', 'reg.example.com/ok:1', 'reg.example.com/ok:1'], 'one per namespace');
  t.same(
    report.rows.map((row) => [row.namespace, row.name, row.container, row.outcome, row.class ?? '']),
    [
      ['api', 'z', 'c0', 'available', ''],
      ['web', 'a', 'c0', 'unavailable', 'notFound'],
      ['web', 'a', 'c1', 'available', ''],
      ['web', 'b', 'c0', 'unavailable', 'notFound'],
    ],
  );
  t.match(report.rows[1], {
    kind: 'Deployment',
    path: 'spec.template.spec.containers[0].image',
    message: MISSING.message,
  });
  t.same(report.summary, {
    images: 2,
    checks: 3,
    uses: 4,
    outcomes: { unavailable: 2, error: 0, skipped: 0, available: 2 },
  });
  t.equal(report.stopped, false);
});

t.test('at most `concurrency` checks at once', async (t) => {
  const objects = Array.from({ length: 9 }, (_, i) => deployment('web', `w${i}`, [`reg.example.com/i${i}:1`]));
  let running = 0;
  let most = 0;
  const report = await runScan(buildInventory(BUILT_IN_WORKLOADS, objects), NO_LISTING, {
    check: async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return { outcome: 'available' };
    },
    concurrency: 3,
    signal: new AbortController().signal,
  });
  t.equal(most, 3);
  t.equal(report.summary.outcomes.available, 9);
});

t.test('stopped: the checks not done are errors, and the report says it was stopped', async (t) => {
  const objects = Array.from({ length: 4 }, (_, i) => deployment('web', `w${i}`, [`reg.example.com/i${i}:1`]));
  const stop = new AbortController();
  const report = await runScan(buildInventory(BUILT_IN_WORKLOADS, objects), NO_LISTING, {
    check: async () => {
      stop.abort();
      return { outcome: 'available' };
    },
    concurrency: 1,
    signal: stop.signal,
  });
  t.equal(report.stopped, true);
  t.same(report.summary.outcomes, { unavailable: 0, error: 3, skipped: 0, available: 1 });
  t.match(report.rows.filter((row) => row.outcome === 'error')[0], { message: /stopped/ });
});

t.test('a port that throws fails only its check', async (t) => {
  const report = await runScan(
    buildInventory(BUILT_IN_WORKLOADS, [deployment('web', 'a', ['reg.example.com/a:1', 'reg.example.com/b:1'])]),
    NO_LISTING,
    {
      check: async (check) => {
        if (check.image.endsWith('a:1')) throw new TypeError('boom');
        return { outcome: 'available' };
      },
      concurrency: 4,
      signal: new AbortController().signal,
    },
  );
  t.same(
    report.rows.map((row) => [row.outcome, row.message ?? '']),
    [
      ['error', 'the check failed (TypeError)'],
      ['available', ''],
    ],
  );
});

t.test('listing problems, unreadable objects, custom resources not served, caps', async (t) => {
  const broken: WorkloadObject = {
    group: 'batch',
    kind: 'CronJob',
    object: { metadata: { name: 'nightly', namespace: 'shop' }, spec: { jobTemplate: { spec: { template: 7 } } } },
  };
  const inventory = buildInventory(BUILT_IN_WORKLOADS, [broken]);
  const report = await runScan(
    inventory,
    {
      problems: ['cannot list daemonsets.apps in all namespaces: forbidden (HTTP 403)'],
      notServed: ['workflows.argoproj.io', 'rollouts.argoproj.io'],
      capped: true,
    },
    { check: byImage({}), concurrency: 4, signal: new AbortController().signal },
  );
  t.match(report.problems, [{ message: /daemonsets\.apps.*forbidden/ }, { message: /^CronJob shop\/nightly: / }]);
  t.same(report.notServed, ['rollouts.argoproj.io', 'workflows.argoproj.io']);
  t.equal(report.capped, true);
  t.same(report.rows, []);
});

t.test('a custom resource is named with its group', async (t) => {
  const workflow: WorkloadObject = {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Workflow',
    object: {
      metadata: { name: 'wf', namespace: 'ci' },
      spec: { templates: [{ name: 'main', container: { image: 'reg.example.com/build:1' } }] },
    },
  };
  const report = await runScan(buildInventory(BUILT_IN_WORKLOADS, [workflow]), NO_LISTING, {
    check: byImage({}),
    concurrency: 1,
    signal: new AbortController().signal,
  });
  t.match(report.rows, [{ kind: 'Workflow.argoproj.io', name: 'wf', outcome: 'available' }]);
});
