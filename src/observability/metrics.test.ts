import t from 'tap';
import { createMetrics } from './metrics.js';

const scrape = async (metrics: ReturnType<typeof createMetrics>): Promise<string> => metrics.registry.metrics();

t.test('the audit gauge is sparse: a series only while a use fails', async (t) => {
  const metrics = createMetrics({ processMetrics: false });
  t.notMatch(await scrape(metrics), /^pullguard_audit_image_unavailable\{/m, 'no series before a failure');
  const labels = { namespace: 'shop', kind: 'Deployment', name: 'web', container: 'app', class: 'notFound' };
  metrics.auditImageUnavailable.set(labels, 1);
  t.match(
    await scrape(metrics),
    /^pullguard_audit_image_unavailable\{namespace="shop",kind="Deployment",name="web",container="app",class="notFound"\} 1$/m,
  );
  metrics.auditImageUnavailable.remove(labels);
  t.notMatch(await scrape(metrics), /^pullguard_audit_image_unavailable\{/m, 'fixed: the series is gone');
});

t.test('last run, images by outcome and leadership', async (t) => {
  const metrics = createMetrics({ processMetrics: false });
  t.match(await scrape(metrics), /^pullguard_audit_last_run_timestamp_seconds 0$/m, 'present before the first run');
  t.match(await scrape(metrics), /^pullguard_audit_leader 0$/m);
  metrics.auditLastRun.set(1_700_000_000);
  metrics.auditImages.set({ outcome: 'unavailable' }, 2);
  metrics.auditLeader.set(1);
  const text = await scrape(metrics);
  t.match(text, /^pullguard_audit_last_run_timestamp_seconds 1700000000$/m);
  t.match(text, /^pullguard_audit_images\{outcome="unavailable"\} 2$/m);
  t.match(text, /^pullguard_audit_leader 1$/m);
  t.match(text, /^# TYPE pullguard_audit_images gauge$/m);
});

t.test('two instances in one process do not collide', async (t) => {
  t.doesNotThrow(() => {
    createMetrics({ processMetrics: false });
    createMetrics({ processMetrics: false });
  });
});
