/**
 * manifests/monitoring: the sample PrometheusRule and the ServiceMonitor (docs/audit.md "Alerts"). They render with
 * kubectl kustomize, stay out of the base (their CRDs may be absent), have the PrometheusRule's shape, and every
 * metric and label their expressions use is one src/observability/metrics.ts exports.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { createMetrics } from '../../src/observability/metrics.js';
import { at, kustomize, single } from './render-manifests.js';
import { labelsOf, metricNamesIn, ruleShapeProblems, type RuleGroup } from './prometheus-rule.js';

const MANIFESTS = fileURLToPath(new URL('../../manifests/', import.meta.url));
const objects = await kustomize(join(MANIFESTS, 'monitoring'));
const rule = single(objects, 'PrometheusRule', 'pullguard-audit');
const groups = at(rule, ['spec', 'groups']) as RuleGroup[];
const rules = groups.flatMap((g) => g.rules);
const alert = (name: string) => rules.find((r) => r.alert === name);

/** Every metric pullguard's /metrics serves, with its label names; histograms also as their series. */
function exported(): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const metric of createMetrics().registry.getMetricsAsArray()) {
    const labels = (metric as unknown as { labelNames?: string[] }).labelNames ?? [];
    out.set(metric.name, labels);
    if (String(metric.type) === 'histogram')
      for (const suffix of ['_bucket', '_count', '_sum']) out.set(`${metric.name}${suffix}`, labels);
  }
  return out;
}

t.test('a PrometheusRule and a ServiceMonitor in pullguard, and neither in the base', async (t) => {
  t.same(objects.map((o) => `${o.apiVersion}/${o.kind}/${o.metadata.name}`).sort(), [
    'monitoring.coreos.com/v1/PrometheusRule/pullguard-audit',
    'monitoring.coreos.com/v1/ServiceMonitor/pullguard',
  ]);
  for (const o of objects) t.equal(o.metadata.namespace, 'pullguard', `${o.kind} lives in pullguard`);
  const base = await kustomize(MANIFESTS);
  t.notOk(
    base.some((o) => o.apiVersion.startsWith('monitoring.coreos.com/')),
    'the base needs no Prometheus Operator CRD',
  );
});

t.test("the PrometheusRule has the Operator's shape", async (t) => {
  t.same(ruleShapeProblems(rule), []);
  t.same(
    rules.map((r) => r.alert),
    ['PullguardImageUnavailable', 'PullguardAuditStale'],
  );
});

t.test('PullguardImageUnavailable: the sparse gauge, for 15m, naming the workload', async (t) => {
  const unavailable = alert('PullguardImageUnavailable');
  t.ok(unavailable);
  if (!unavailable) return;
  t.equal(
    unavailable.expr.trim(),
    'max by (namespace, kind, name, container, class) (pullguard_audit_image_unavailable) == 1',
  );
  t.equal(unavailable.for, '15m');
  t.same(unavailable.labels, { severity: 'warning' });
  const text = `${unavailable.annotations?.summary} ${unavailable.annotations?.description}`;
  for (const label of ['namespace', 'kind', 'name', 'container', 'class'])
    t.match(text, `$labels.${label}`, `the annotations name the ${label}`);
  t.match(unavailable.annotations?.description, /kubectl describe \{\{ \$labels\.kind \| toLower \}\}/);
  t.match(unavailable.annotations?.description, /--field-selector reason=ImageUnavailable/);
  const kept = new Set(labelsOf(unavailable.expr));
  for (const used of (text.match(/\$labels\.(\w+)/g) ?? []).map((m) => m.slice('$labels.'.length)))
    t.ok(kept.has(used), `$labels.${used} survives the aggregation`);
});

t.test('PullguardAuditStale: three intervals without a completed cycle, or no audit metrics, for 10m', async (t) => {
  const stale = alert('PullguardAuditStale');
  t.ok(stale);
  if (!stale) return;
  t.equal(stale.for, '10m');
  t.same(stale.labels, { severity: 'warning' });
  t.match(stale.expr, /time\(\) - max\(/);
  t.match(stale.expr, /> 3 \* 600/);
  t.match(stale.expr, /absent\(pullguard_audit_last_run_timestamp_seconds\)/);
  t.ok(stale.annotations?.summary && stale.annotations.description, 'summary and description');
});

t.test('every metric and label the rules use is exported by pullguard', async (t) => {
  const metrics = exported();
  const used = new Set(rules.flatMap((r) => metricNamesIn(r.expr)));
  t.ok(used.has('pullguard_audit_image_unavailable') && used.has('pullguard_audit_last_run_timestamp_seconds'));
  for (const name of used) t.ok(metrics.has(name), `${name} is exported`);
  const unavailable = alert('PullguardImageUnavailable');
  for (const label of labelsOf(unavailable?.expr ?? ''))
    t.ok(metrics.get('pullguard_audit_image_unavailable')?.includes(label), `${label} is a label of the gauge`);
});

t.test('the ServiceMonitor scrapes the Service and keeps the workload namespace label', async (t) => {
  const monitor = single(objects, 'ServiceMonitor', 'pullguard');
  const service = single(await kustomize(MANIFESTS), 'Service', 'pullguard');
  const selector = at(monitor, ['spec', 'selector', 'matchLabels']) as Record<string, string>;
  for (const [key, value] of Object.entries(selector)) t.equal(service.metadata.labels?.[key], value, key);
  t.same(at(monitor, ['spec', 'namespaceSelector', 'matchNames']), [service.metadata.namespace]);
  const ports = (at(service, ['spec', 'ports']) as { name: string }[]).map((p) => p.name);
  const [endpoint] = at(monitor, ['spec', 'endpoints']) as Record<string, unknown>[];
  t.ok(ports.includes(String(endpoint?.port)), 'a port the Service names');
  t.equal(endpoint?.path, '/metrics');
  t.equal(endpoint?.honorLabels, true, 'otherwise `namespace` becomes exported_namespace');
});

t.test('the checks can fail', async (t) => {
  const broken = structuredClone(rule);
  const brokenRules = (at(broken, ['spec', 'groups', 0, 'rules']) as Record<string, unknown>[]) ?? [];
  delete brokenRules[0]?.expr;
  if (brokenRules[1]) brokenRules[1].for = '10 minutes';
  (at(broken, ['spec', 'groups', 0]) as Record<string, unknown>).interval = 5;
  t.same(ruleShapeProblems(broken), [
    'spec.groups[0].interval: not a Prometheus duration',
    'spec.groups[0].rules[0].expr: missing',
    'spec.groups[0].rules[1].for: not a Prometheus duration',
  ]);
  t.same(metricNamesIn('sum by (registry) (rate(pullguard_nope_total[5m])) > 0'), ['pullguard_nope_total']);
  t.notOk(exported().has('pullguard_nope_total'));
  t.same(labelsOf('max by (namespace, pod) (x)'), ['namespace', 'pod']);
});
