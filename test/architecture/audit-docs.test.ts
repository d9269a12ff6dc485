/**
 * docs/audit.md stays in step with what it describes: the usage text is the command's, the inlined PrometheusRule is
 * the shipped file, the config defaults are the loader's, and every finding class and metric it names exists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { SCAN_USAGE } from '../../src/audit/scan-args.js';
import { parseConfigText } from '../../src/config/load-config.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { FINDING_CLASSES } from '../../src/policy/finding-class.js';

const ROOT = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(ROOT, 'docs', 'audit.md'), 'utf8');

/** The fenced blocks of a Markdown text with their language. */
function fences(text: string): { lang: string; body: string }[] {
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1] ?? '', body: m[2] ?? '' }));
}

/** A section's text: from its heading to the next heading of any level. */
function section(heading: string): string {
  const start = doc.indexOf(`${heading}\n`);
  if (start < 0) return '';
  const next = doc.slice(start + heading.length + 1).search(/^#{1,6} /m);
  return next < 0 ? doc.slice(start) : doc.slice(start, start + heading.length + 1 + next);
}

t.test("the usage block is the command's usage text", async (t) => {
  const usage = fences(doc).find((f) => f.body.startsWith('Usage: pullguard scan'));
  t.equal(usage?.body, `${SCAN_USAGE}\n`);
});

t.test('the inlined PrometheusRule is manifests/monitoring/prometheusrule.yaml', async (t) => {
  const file = readFileSync(join(ROOT, 'manifests', 'monitoring', 'prometheusrule.yaml'), 'utf8');
  const withoutHeader = file.slice(file.indexOf('apiVersion:'));
  const inlined = fences(doc).find((f) => f.lang === 'yaml' && f.body.includes('kind: PrometheusRule'));
  t.equal(inlined?.body, withoutHeader);
});

t.test('the config table gives the loader defaults', async (t) => {
  const read = parseConfigText('mode: warn\n', 'test');
  t.ok(read.ok);
  if (!read.ok) return;
  const { audit } = read.config;
  const table = section('## The audit in `serve`');
  const row = (key: string) => new RegExp(`^\\| \`audit\\.${key}\` \\| \`([^\`]+)\``, 'm').exec(table)?.[1];
  t.equal(row('enabled'), String(audit.enabled));
  t.equal(row('interval'), `${audit.intervalMs / 60_000}m`);
  t.equal(row('requestsPerSecondPerRegistry'), String(audit.requestsPerSecondPerRegistry));
  t.equal(row('concurrency'), String(audit.concurrency));
  t.equal(row('leaseName'), audit.leaseName);
  t.equal(audit.leaseNamespace, undefined, "the namespace defaults to the pod's, as the table says");
});

t.test('every finding class named as unavailable exists', async (t) => {
  const paragraph = /\*\*Unavailable\*\* means[\s\S]*?\(\[findings\.md\]/.exec(doc)?.[0] ?? '';
  const named = [...paragraph.matchAll(/`([a-zA-Z]+)`/g)].map((m) => m[1] ?? '');
  t.equal(named.length, 8);
  for (const name of named) t.ok((FINDING_CLASSES as readonly string[]).includes(name), name);
});

t.test("every metric in the metrics table is pullguard's", async (t) => {
  const exported = new Set(
    createMetrics({ processMetrics: false })
      .registry.getMetricsAsArray()
      .map((m) => m.name),
  );
  const table = section('### Metrics');
  const named = [...table.matchAll(/^\| `(pullguard_[a-z_]+)` \|/gm)].map((m) => m[1] ?? '');
  t.ok(named.length >= 5);
  for (const name of named) t.ok(exported.has(name), name);
  for (const name of exported)
    if (name.startsWith('pullguard_audit_')) t.ok(named.includes(name), `${name} is documented`);
});
