/**
 * `pullguard diagnose`'s text output (docs/diagnose.md, Output), readable like `kubectl describe`: per failing pod a
 * header (the pod, its owner, its node and platform, its service account and pull secrets), then a block per failing
 * container (render-container.ts), then the targets not failing, the reads that failed and the targets that could
 * not be diagnosed, and one summary line. ANSI colour, when asked, only marks headings and verdicts; every string from
 * the cluster is made safe for a terminal (terminal-text.ts). Pure and deterministic: ages come from the report.
 */
import { containerLines, field, type Paint, type Tone } from './render-container.js';
import type { DiagnoseReport, NodeFacts, PodDiagnosis } from './report.js';
import { safeLines, safeText } from './terminal-text.js';

export interface DiagnoseTextOptions {
  /** ANSI colours (the caller's choice: stdout is a terminal and NO_COLOR is unset). */
  readonly color: boolean;
}

const ANSI: Readonly<Record<Tone, string>> = {
  bad: '\u001b[31m',
  good: '\u001b[32m',
  unsure: '\u001b[33m',
  heading: '\u001b[1m',
};
const RESET = '\u001b[0m';
const POD_LABEL_WIDTH = 18;

/** The whole report as text, ending with a line feed. */
export function renderDiagnoseText(report: DiagnoseReport, options: DiagnoseTextOptions): string {
  const paint: Paint = (tone, text) => (options.color ? `${ANSI[tone]}${text}${RESET}` : text);
  const blocks = report.pods.map((pod) => podLines(pod, paint));
  const tail = [
    ...listSection('Not failing:', report.notFailing, paint, 'good'),
    ...listSection('Could not read:', report.unread, paint, 'unsure'),
    ...listSection('Problems:', report.problems, paint, 'bad'),
  ];
  if (tail.length > 0) blocks.push(tail);
  blocks.push([summaryLine(report)]);
  return `${blocks.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function podLines(pod: PodDiagnosis, paint: Paint): string[] {
  const podField = (label: string, lines: readonly string[]) => field('', POD_LABEL_WIDTH, label, lines);
  const secrets = pod.imagePullSecrets.length === 0 ? '<none>' : pod.imagePullSecrets.map(safeText).join(', ');
  return [
    paint('heading', `${'Pod:'.padEnd(POD_LABEL_WIDTH)}${safeText(pod.namespace)}/${safeText(pod.name)}`),
    ...podField('Owner:', [pod.owner ? `${safeText(pod.owner.kind)} ${safeText(pod.owner.name)}` : '<none>']),
    ...podField('Node:', [pod.node ? nodeWords(pod.node) : '<not scheduled>']),
    ...podField('Service account:', [safeText(pod.serviceAccount)]),
    ...podField('Pull secrets:', [secrets]),
    'Containers:',
    ...pod.containers.flatMap((c) => containerLines(c, paint)),
  ];
}

/** `n1 (linux/arm64, containerd://2.1.4)`; what is not known is left out. */
function nodeWords(node: NodeFacts): string {
  const p = node.platform;
  const facts = [
    ...(p ? [[p.os, p.architecture, ...(p.variant ? [p.variant] : [])].map(safeText).join('/')] : []),
    ...(node.containerRuntime ? [safeText(node.containerRuntime)] : []),
  ];
  return `${safeText(node.name)}${facts.length ? ` (${facts.join(', ')})` : ''}`;
}

/** A heading, then one indented sentence per entry (a multi-line one indented further); nothing when empty. */
function listSection(heading: string, entries: readonly string[], paint: Paint, tone: Tone): string[] {
  if (entries.length === 0) return [];
  return [
    paint(tone, heading),
    ...entries.flatMap((entry) => safeLines(entry).map((line, i) => `${i === 0 ? '  ' : '    '}${line}`)),
  ];
}

/** `2 pods failing (3 containers).`, or that nothing is failing. */
function summaryLine(report: DiagnoseReport): string {
  const problems = report.problems.length;
  if (report.pods.length === 0 && problems === 0)
    return 'Nothing is failing: no container is waiting on an image pull.';
  const containers = report.pods.reduce((n, pod) => n + pod.containers.length, 0);
  const failing = `${plural(report.pods.length, 'pod')} failing (${plural(containers, 'container')})`;
  return `${failing}${problems ? `; ${plural(problems, 'target')} could not be diagnosed` : ''}.`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
