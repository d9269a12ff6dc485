import t from 'tap';
import { renderScanJson } from './render-scan-json.js';
import type { ScanReport } from './scan-report.js';

const REPORT: ScanReport = {
  rows: [
    {
      namespace: 'shop',
      kind: 'CronJob',
      name: 'nightly',
      container: 'report',
      path: 'spec.jobTemplate.spec.template.spec.containers[0].image',
      image: 'registry.example.com/shop/report:1.4',
      outcome: 'unavailable',
      class: 'notFound',
      message: 'tag "1.4" does not exist\u2028.',
    },
    {
      namespace: 'shop',
      kind: 'Deployment',
      name: 'web',
      container: 'app',
      path: 'spec.template.spec.containers[0].image',
      image: 'registry.example.com/shop/web:1',
      outcome: 'available',
    },
  ],
  summary: { images: 2, checks: 2, uses: 2, outcomes: { unavailable: 1, error: 0, skipped: 0, available: 1 } },
  problems: [{ message: 'cannot list jobs.batch in namespace "shop": forbidden (HTTP 403)' }],
  notServed: ['workflows.argoproj.io'],
  capped: false,
  stopped: false,
};

t.test('kind ScanReport, the summary, one entry per use, absent fields left out', async (t) => {
  const text = renderScanJson(REPORT);
  t.ok(text.endsWith('}\n'));
  t.notMatch(text, '\u2028', 'line separators are escaped');
  const document = JSON.parse(text);
  t.same(Object.keys(document), [
    'apiVersion',
    'kind',
    'summary',
    'uses',
    'problems',
    'notServed',
    'capped',
    'stopped',
  ]);
  t.equal(document.apiVersion, 'pullguard.io/v1alpha1');
  t.equal(document.kind, 'ScanReport');
  t.same(document.summary, { images: 2, checks: 2, uses: 2, available: 1, unavailable: 1, error: 0, skipped: 0 });
  t.same(document.uses[0], { ...REPORT.rows[0] });
  t.same(Object.keys(document.uses[1]), ['namespace', 'kind', 'name', 'container', 'path', 'image', 'outcome']);
  t.same(document.problems, ['cannot list jobs.batch in namespace "shop": forbidden (HTTP 403)']);
  t.same(document.notServed, ['workflows.argoproj.io']);
});
