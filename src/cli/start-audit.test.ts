import t from 'tap';
import { buildConfig, DEFAULT_CONFIG } from '../config/load-config.js';
import { createMetrics } from '../observability/metrics.js';
import { startAudit } from './start-audit.js';

function options(config = DEFAULT_CONFIG) {
  const lines: string[] = [];
  let composed = 0;
  const metrics = createMetrics({ processMetrics: false });
  return {
    lines,
    composed: () => composed,
    metrics,
    options: {
      config,
      kube: undefined,
      metrics,
      log: {
        info: (_: object, m: string) => void lines.push(`info ${m}`),
        warn: (_: object, m: string) => void lines.push(`warn ${m}`),
      },
      env: {},
      composeAuditEngine: () => {
        composed++;
        return Promise.reject(new Error('not in this test'));
      },
    },
  };
}

t.test('audit.enabled false: one line, nothing started', async (t) => {
  const built = buildConfig({ audit: { enabled: false } });
  if (!built.ok) return t.fail(built.problems.join('\n'));
  const run = options(built.config);
  const audit = await startAudit(run.options);
  t.same(run.lines, ['info audit off (audit.enabled is false)']);
  t.equal(audit.leading(), false);
  t.equal(run.composed(), 0);
  t.match(await run.metrics.registry.metrics(), /pullguard_audit_leader 0/);
  await audit.stop();
});

t.test('no Kubernetes API: one line, nothing started', async (t) => {
  const run = options();
  const audit = await startAudit(run.options);
  t.same(run.lines, ['info audit off: no Kubernetes API to read workloads from (credentials.kubernetes)']);
  t.equal(run.composed(), 0);
  await audit.stop();
});
