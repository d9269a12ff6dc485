import t from 'tap';
import type { AuditActions, GaugeLabels, WorkloadEvent } from '../audit/audit-state.js';
import type { EventRecorder, EventTarget, RecordOutcome } from '../kube/event-recorder.js';
import { createMetrics } from '../observability/metrics.js';
import { createAuditSink } from './audit-sink.js';

const labels = (name: string): GaugeLabels => ({
  namespace: 'shop',
  kind: 'Deployment',
  name,
  container: 'app',
  class: 'notFound',
});

const event = (name: string): WorkloadEvent => ({
  type: 'Warning',
  reason: 'ImageUnavailable',
  workload: { namespace: 'shop', group: 'apps', kind: 'Deployment', name, uid: `uid-${name}` },
  message: `container "app": tag "1.0" does not exist (${name})`,
});

const actions = (part: Partial<AuditActions>): AuditActions => ({
  events: [],
  set: [],
  remove: [],
  overflow: 0,
  ...part,
});

function setup(answer: () => Promise<RecordOutcome> = async () => ({ status: 'created', name: 'x' })) {
  const metrics = createMetrics({ processMetrics: false });
  const sent: { target: EventTarget; reason: string; message: string }[] = [];
  const warnings: string[] = [];
  let inFlight = 0;
  let most = 0;
  const recorder: EventRecorder = {
    warn: async (target, reason, message) => {
      sent.push({ target, reason, message });
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        return await answer();
      } finally {
        inFlight--;
      }
    },
  };
  const sink = createAuditSink({
    metrics,
    recorder,
    apiVersionOf: (group) => (group === 'apps' ? 'apps/v1' : 'v1'),
    log: { warn: (_details, message) => void warnings.push(message) },
  });
  const series = async () =>
    (await metrics.registry.getSingleMetricAsString('pullguard_audit_image_unavailable'))
      .split('\n')
      .filter((line) => line.startsWith('pullguard_audit_image_unavailable{'));
  return { metrics, sink, sent, warnings, series, most: () => most };
}

t.test('series are set and removed; Events name the workload with its apiVersion and uid', async (t) => {
  const { sink, sent, series } = setup();
  sink.actions(actions({ set: [labels('web'), labels('api')], events: [event('web')] }));
  await sink.idle();
  t.same(await series(), [
    'pullguard_audit_image_unavailable{namespace="shop",kind="Deployment",name="web",container="app",class="notFound"} 1',
    'pullguard_audit_image_unavailable{namespace="shop",kind="Deployment",name="api",container="app",class="notFound"} 1',
  ]);
  t.same(sent, [
    {
      target: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop', uid: 'uid-web' },
      reason: 'ImageUnavailable',
      message: 'container "app": tag "1.0" does not exist (web)',
    },
  ]);
  sink.actions(actions({ remove: [labels('web')] }));
  t.same(await series(), [
    'pullguard_audit_image_unavailable{namespace="shop",kind="Deployment",name="api",container="app",class="notFound"} 1',
  ]);
});

t.test('outcomes and the last pass go to their gauges; clearOutcomes withdraws them', async (t) => {
  const { metrics, sink } = setup();
  sink.outcomes({ available: 3, unavailable: 1, error: 0, skipped: 2, pending: 0 });
  sink.passComplete(1_700_000_000_500);
  const text = await metrics.registry.metrics();
  t.match(text, /pullguard_audit_images\{outcome="available"\} 3/);
  t.match(text, /pullguard_audit_images\{outcome="skipped"\} 2/);
  t.match(text, /pullguard_audit_last_run_timestamp_seconds 1700000000\n/);
  sink.clearOutcomes();
  t.notMatch(await metrics.registry.metrics(), /pullguard_audit_images\{/);
});

t.test('Events go at most 4 at a time; a failing recorder is logged once', async (t) => {
  const { sink, sent, warnings, most } = setup(async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { status: 'error', kind: 'forbidden', detail: 'HTTP 403' };
  });
  sink.actions(actions({ events: Array.from({ length: 12 }, (_, i) => event(`w${i}`)) }));
  await sink.idle();
  t.equal(sent.length, 12, 'every Event was tried');
  t.equal(most(), 4);
  t.equal(warnings.length, 1, 'one line for the failures');
  t.match(warnings[0], /cannot write ImageUnavailable Events/);
});

t.test('at most 1,000 Events wait; the rest are dropped with one line; overflow is said once', async (t) => {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const { sink, sent, warnings } = setup(async () => {
    await gate;
    return { status: 'created', name: 'x' };
  });
  sink.actions(actions({ events: Array.from({ length: 1_010 }, (_, i) => event(`w${i}`)), overflow: 3 }));
  sink.actions(actions({ overflow: 2 }));
  release();
  await sink.idle();
  t.equal(sent.length, 1_000, 'the first 1,000 were kept and sent');
  t.same(warnings.sort(), [
    'audit: too many Events waiting; dropping some',
    'audit: too many failing images to track; some are not reported',
  ]);
});
