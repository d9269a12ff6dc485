/**
 * `pullguard diagnose -o json`: the report as one JSON document (docs/diagnose.md, Output), `kind: Diagnosis`. The
 * objects are rebuilt field by field in the order the report types declare them, so the key order is stable
 * whatever order the report's builder used, nothing the types do not name leaks out, and absent fields are left out
 * (never `null`, never `undefined`), as `check -o json` leaves out a use's absent `digest`. JSON.stringify escapes
 * every C0 control; the C1 controls and the Unicode line separators, which JSON allows raw, are escaped too, so
 * printing the document to a terminal is as safe as parsing it. Pure.
 */
import type { Fix } from './fix-commands.js';
import type { PullEvent } from './pull-events.js';
import type {
  ContainerDiagnosisReport,
  DiagnoseReport,
  EngineView,
  FindingSummary,
  NodeFacts,
  PodDiagnosis,
} from './report.js';

const DIAGNOSIS_API_VERSION = 'pullguard.io/v1alpha1';
const DIAGNOSIS_KIND = 'Diagnosis';

/** The document: indented two spaces, as `check -o json`, ending with a line feed. */
export function renderDiagnoseJson(report: DiagnoseReport): string {
  const document = {
    apiVersion: DIAGNOSIS_API_VERSION,
    kind: DIAGNOSIS_KIND,
    pods: report.pods.map(podJson),
    notFailing: [...report.notFailing],
    unread: [...report.unread],
    problems: [...report.problems],
    failing: report.pods.length,
  };
  return `${JSON.stringify(document, null, 2).replace(RAW_IN_JSON, escapeChar)}\n`;
}

// Characters JSON.stringify leaves raw; built from code points so the source stays free of them.
const RAW_IN_JSON = new RegExp('[\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]', 'gu');

function escapeChar(char: string): string {
  return `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}

/** The fields of `value` named in `keys`, in that order, leaving out the absent ones. */
function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

function podJson(pod: PodDiagnosis) {
  return {
    namespace: pod.namespace,
    name: pod.name,
    ...(pod.owner ? { owner: pick(pod.owner, ['kind', 'name']) } : {}),
    ...(pod.node ? { node: nodeJson(pod.node) } : {}),
    serviceAccount: pod.serviceAccount,
    imagePullSecrets: [...pod.imagePullSecrets],
    containers: pod.containers.map(containerJson),
  };
}

function nodeJson(node: NodeFacts) {
  return {
    name: node.name,
    ...(node.platform ? { platform: pick(node.platform, ['os', 'architecture', 'variant']) } : {}),
    ...pick(node, ['containerRuntime']),
  };
}

function containerJson(c: ContainerDiagnosisReport) {
  const { runtimeError: e, reconciliation: r } = c;
  return {
    ...pick(c, ['name', 'section', 'image', 'imagePullPolicy']),
    waiting: pick(c.waiting, ['reason', 'message']),
    events: {
      ...(c.events.failed ? { failed: eventJson(c.events.failed) } : {}),
      ...(c.events.backOff ? { backOff: eventJson(c.events.backOff) } : {}),
    },
    runtimeError: pick(e, [
      'kind',
      'nodeSide',
      'writer',
      'mirrorsFailed',
      'credentialsRejected',
      'truncated',
      'findingClass',
      'text',
    ]),
    engine: engineJson(c.engine),
    reconciliation: { ...pick(r, ['verdict', 'reason']), ...(r.finding ? { finding: findingJson(r.finding) } : {}) },
    fix: fixJson(c.fix),
  };
}

function eventJson(event: PullEvent) {
  return pick(event, ['reason', 'message', 'count', 'lastSeen', 'ageSeconds', 'reportedBy', 'host']);
}

function engineJson(engine: EngineView) {
  return engine.status === 'checked'
    ? { status: engine.status, findings: engine.findings.map(findingJson) }
    : { status: engine.status, reason: engine.reason };
}

function findingJson(finding: FindingSummary) {
  return pick(finding, ['class', 'cause', 'fix']);
}

function fixJson(fix: Fix) {
  return {
    steps: fix.steps.map((step) => pick(step, ['say', 'command'])),
    problems: fix.problems.map((p) => pick(p, ['problem', 'field', 'detail'])),
  };
}
