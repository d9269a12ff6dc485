import t from 'tap';
import type { ContainerDiagnosisReport, DiagnoseReport, PodDiagnosis } from './report.js';
import { renderDiagnoseJson } from './render-json.js';
import { FULL_REPORT, HOSTILE_MESSAGE, MISSING_TAG_POD } from '../../test/diagnose/diagnose-reports.js';

const EMPTY: DiagnoseReport = { pods: [], notFailing: [], problems: [], unread: [] };

t.test('one document that parses back to the report', async (t) => {
  const text = renderDiagnoseJson(FULL_REPORT);
  t.ok(text.endsWith('}\n'));
  t.strictSame(JSON.parse(text), {
    apiVersion: 'pullguard.io/v1alpha1',
    kind: 'Diagnosis',
    pods: FULL_REPORT.pods,
    notFailing: FULL_REPORT.notFailing,
    unread: FULL_REPORT.unread,
    problems: FULL_REPORT.problems,
    failing: 4,
  });
});

t.test('an empty report', async (t) => {
  t.equal(
    renderDiagnoseJson(EMPTY),
    `${JSON.stringify({ apiVersion: 'pullguard.io/v1alpha1', kind: 'Diagnosis', pods: [], notFailing: [], unread: [], problems: [], failing: 0 }, null, 2)}\n`,
  );
});

t.test('keys come in the order of the report types, whatever order the report was built in', async (t) => {
  const [app] = MISSING_TAG_POD.containers;
  if (app === undefined) throw new Error('fixture');
  const reversed = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).reverse()) as T;
  const shuffled: PodDiagnosis = reversed({
    ...MISSING_TAG_POD,
    containers: [reversed({ ...app, runtimeError: reversed(app.runtimeError), waiting: reversed(app.waiting) })],
  });
  const text = renderDiagnoseJson({ ...EMPTY, pods: [shuffled] });
  t.equal(text, renderDiagnoseJson({ ...EMPTY, pods: [MISSING_TAG_POD] }));
  const parsed = JSON.parse(text) as { pods: { containers: Record<string, unknown>[] }[] };
  const container = parsed.pods[0]?.containers[0] ?? {};
  t.same(Object.keys(container), [
    'name',
    'section',
    'image',
    'imagePullPolicy',
    'waiting',
    'events',
    'runtimeError',
    'engine',
    'reconciliation',
    'fix',
  ]);
  t.same(Object.keys(container.runtimeError as object), [
    'kind',
    'nodeSide',
    'writer',
    'mirrorsFailed',
    'credentialsRejected',
    'truncated',
    'findingClass',
    'text',
  ]);
  t.same(Object.keys(parsed.pods[0] ?? {}), [
    'namespace',
    'name',
    'owner',
    'node',
    'serviceAccount',
    'imagePullSecrets',
    'containers',
  ]);
  t.same(Object.keys(JSON.parse(text) as object), [
    'apiVersion',
    'kind',
    'pods',
    'notFailing',
    'unread',
    'problems',
    'failing',
  ]);
});

t.test('absent fields are left out; fields the types do not name never leak', async (t) => {
  const [app] = MISSING_TAG_POD.containers;
  if (app === undefined) throw new Error('fixture');
  const loose = {
    ...app,
    imagePullPolicy: undefined,
    secret: 'hunter2',
    reconciliation: {
      ...app.reconciliation,
      node: { kind: 'notFound' },
      finding: { class: 'notFound', cause: 'x', short: 's' },
    },
    fix: { steps: [{ say: 'do it', command: undefined, run: () => 'no' }], problems: [] },
  } as unknown as ContainerDiagnosisReport;
  const text = renderDiagnoseJson({ ...EMPTY, pods: [{ ...MISSING_TAG_POD, containers: [loose] }] });
  t.notMatch(text, 'hunter2');
  const container = (JSON.parse(text) as { pods: { containers: Record<string, unknown>[] }[] }).pods[0]?.containers[0];
  t.notOk(container && 'imagePullPolicy' in container);
  t.strictSame(container?.reconciliation, {
    verdict: app.reconciliation.verdict,
    reason: app.reconciliation.reason,
    finding: { class: 'notFound', cause: 'x' },
  });
  t.strictSame(container?.fix, { steps: [{ say: 'do it' }], problems: [] });
});

t.test('controls from the cluster are escaped in the document, and read back as they were', async (t) => {
  const message = `${HOSTILE_MESSAGE}\u009b2J\u2028`;
  const [app] = MISSING_TAG_POD.containers;
  if (app === undefined) throw new Error('fixture');
  const pod = { ...MISSING_TAG_POD, containers: [{ ...app, waiting: { ...app.waiting, message } }] };
  const text = renderDiagnoseJson({ ...EMPTY, pods: [pod], unread: ['cannot read\r\u001b[2J events'] });
  t.notOk(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/u.test(text), 'no raw control character');
  t.match(text, '\\u001b[2J');
  t.match(text, '\\u009b2J');
  const parsed = JSON.parse(text) as { pods: PodDiagnosis[]; unread: string[] };
  t.equal(parsed.pods[0]?.containers[0]?.waiting.message, message);
  t.same(parsed.unread, ['cannot read\r\u001b[2J events']);
});
