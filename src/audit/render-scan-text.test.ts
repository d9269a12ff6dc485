import t from 'tap';
import { renderScanText } from './render-scan-text.js';
import type { ScanReport, ScanRow } from './scan-report.js';

const row = (name: string, outcome: ScanRow['outcome'], extra: Partial<ScanRow> = {}): ScanRow => ({
  namespace: 'shop',
  kind: 'Deployment',
  name,
  container: 'app',
  path: 'spec.template.spec.containers[0].image',
  image: `registry.example.com/shop/${name}:1`,
  outcome,
  ...extra,
});

const report = (rows: ScanRow[], extra: Partial<ScanReport> = {}): ScanReport => {
  const outcomes = { unavailable: 0, error: 0, skipped: 0, available: 0 };
  for (const r of rows) outcomes[r.outcome]++;
  return {
    rows,
    summary: { images: rows.length, checks: rows.length, uses: rows.length, outcomes },
    problems: [],
    notServed: [],
    capped: false,
    stopped: false,
    ...extra,
  };
};

t.test('a table with failing rows first, a block per failing use, the summary', async (t) => {
  const text = renderScanText(
    report([
      row('api', 'available'),
      row('web', 'unavailable', { class: 'notFound', message: 'tag "1" does not exist. The closest: 1.0' }),
      row('cron', 'error', { message: 'registry.example.com did not answer within 20s' }),
    ]),
    { color: false },
  );
  const lines = text.split('\n');
  t.match(lines[0], /^NAMESPACE\s+KIND\s+NAME\s+CONTAINER\s+IMAGE\s+STATUS$/);
  t.match(lines[1], /^shop\s+Deployment\s+web\s+app\s+registry\.example\.com\/shop\/web:1\s+unavailable \(notFound\)$/);
  t.match(lines[2], /cron .* error$/);
  t.match(lines[3], /api .* available$/);
  t.equal(lines[0]!.indexOf('STATUS'), lines[3]!.indexOf('available'), 'columns align');
  t.match(
    text,
    'Deployment shop/web, "app" (spec.template.spec.containers[0].image)\n  image: registry.example.com/shop/web:1\n  notFound: tag "1" does not exist. The closest: 1.0\n',
  );
  t.match(text, '  not checked: registry.example.com did not answer within 20s');
  t.notMatch(text, /Deployment shop\/api,/, 'no block for an available use');
  t.match(text, '3 images (3 checks) in 3 uses: 1 unavailable, 1 error, 0 skipped, 1 available.');
  t.notMatch(text, /\u001b/, 'no colour unless asked');
});

t.test('colour only when asked; cluster text is made terminal-safe', async (t) => {
  const evil = row('web', 'unavailable', { class: 'notFound', name: 'web\u001b[2J', message: 'gone\rforged line' });
  const plain = renderScanText(report([evil]), { color: false });
  t.notMatch(plain, /\u001b/);
  t.match(plain, 'web\\x1b[2J');
  t.match(plain, 'gone\\rforged line');
  const coloured = renderScanText(report([evil]), { color: true });
  t.match(coloured, '\u001b[31munavailable (notFound)\u001b[0m');
});

t.test('problems, custom resources not installed, caps, a stopped run, nothing found', async (t) => {
  const text = renderScanText(
    report([], {
      problems: [{ message: 'cannot list daemonsets.apps in all namespaces: forbidden (HTTP 403)' }],
      notServed: ['rollouts.argoproj.io', 'workflows.argoproj.io'],
      capped: true,
      stopped: true,
    }),
    { color: false },
  );
  t.match(text, /^No image uses found\.\n/);
  t.match(text, 'Could not list or read:\n  cannot list daemonsets.apps in all namespaces: forbidden (HTTP 403)');
  t.match(text, '2 custom resource kinds pullguard knows are not installed here (listed in -o json).');
  t.notMatch(text, 'rollouts.argoproj.io', 'counted, not listed');
  t.match(text, 'not every workload was checked');
  t.match(text, 'Stopped before every check finished.');
  t.match(text, '0 images (0 checks) in 0 uses');
});
