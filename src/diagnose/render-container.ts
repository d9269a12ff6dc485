/**
 * The text block of one failing container in `pullguard diagnose`'s output (docs/diagnose.md, Output), in the order
 * a reader follows it: what the node saw, the runtime's error classified, what pullguard sees now, the two views
 * reconciled, and the fix as commands to paste. Every string from the cluster goes through terminal-text.ts; the
 * commands are printed whole, one per line and never coloured, so they paste as they are. Pure.
 */
import type { RuntimeFailureKind } from '../policy/runtime-message.js';
import { humanAge } from './human-age.js';
import type { PullEvent } from './pull-events.js';
import type { ReconcileVerdict } from './reconcile.js';
import type { ContainerDiagnosisReport, EngineView } from './report.js';
import { safeLines, safeText } from './terminal-text.js';

export type Tone = 'bad' | 'good' | 'unsure' | 'heading';
/** Paints a piece of pullguard's own text; the identity when colour is off. */
export type Paint = (tone: Tone, text: string) => string;

const LABEL_WIDTH = 16;
const INDENT = '    ';

/** `label` padded, then the first line of `text`; the other lines indented under the first. */
export function field(indent: string, width: number, label: string, lines: readonly string[]): string[] {
  const pad = ' '.repeat(width);
  return lines.map((line, i) => `${indent}${i === 0 ? label.padEnd(width) : pad}${line}`.trimEnd());
}

const containerField = (label: string, lines: readonly string[]) => field(INDENT, LABEL_WIDTH, label, lines);

const SECTION_NAME = {
  containers: '',
  initContainers: ' (init container)',
  ephemeralContainers: ' (ephemeral container)',
};

const RUNTIME_WORDS: Readonly<Record<RuntimeFailureKind, string>> = {
  notFound: 'not found',
  unauthorized: 'access denied',
  invalidReference: 'invalid reference',
  platformMismatch: "no variant for the node's platform",
  dnsFailure: 'DNS lookup failed',
  connectionRefused: 'connection refused',
  ioTimeout: 'i/o timeout',
  unknownAuthority: 'certificate signed by an unknown authority',
  rateLimited: 'rate limited',
  pullPolicyNever: 'not on the node, pull policy Never',
  blockedRegistry: 'registry blocked by the runtime',
  ambiguousShortName: 'ambiguous short name',
  diskFull: 'disk full',
  unknown: 'not recognised',
};

const VERDICT_WORDS: Readonly<Record<ReconcileVerdict, { readonly words: string; readonly tone: Tone }>> = {
  'still-broken': { words: 'still broken', tone: 'bad' },
  'fixed-since': { words: 'fixed since', tone: 'good' },
  'node-side': { words: 'node-side', tone: 'unsure' },
  disagree: { words: 'the two views disagree', tone: 'unsure' },
  'not-checked': { words: 'only the node can tell (pullguard could not check)', tone: 'unsure' },
};

/** The container's heading and its lines, indented under the pod's `Containers:`. */
export function containerLines(c: ContainerDiagnosisReport, paint: Paint): string[] {
  const verdict = VERDICT_WORDS[c.reconciliation.verdict];
  const image = safeText(c.image) + (c.imagePullPolicy ? ` (pull policy ${safeText(c.imagePullPolicy)})` : '');
  return [
    `  ${paint('heading', `${safeText(c.name)}${SECTION_NAME[c.section]}:`)}`,
    ...containerField('Image:', [image]),
    ...nodeSaw(c),
    ...runtimeError(c),
    ...containerField('pullguard now:', engineLines(c.engine)),
    ...containerField('Verdict:', [paint(verdict.tone, verdict.words), ...safeLines(withoutVerdict(c, verdict.words))]),
    ...fixLines(c, paint),
  ];
}

function nodeSaw(c: ContainerDiagnosisReport): string[] {
  const { failed, backOff } = c.events;
  return [
    ...containerField('Waiting:', [safeText(c.waiting.reason)]),
    ...(c.waiting.message === undefined ? [] : containerField('Message:', safeLines(c.waiting.message))),
    ...(failed ? containerField('Failed event:', eventLines(failed)) : []),
    ...(backOff ? containerField('BackOff event:', eventLines(backOff)) : []),
  ];
}

/** `×4, 5m ago (kubelet on n1)`, then the event's text. */
function eventLines(event: PullEvent): string[] {
  const when =
    event.ageSeconds !== undefined
      ? `, ${humanAge(event.ageSeconds)} ago`
      : event.lastSeen !== undefined
        ? `, at ${safeText(event.lastSeen)}`
        : '';
  const who = [event.reportedBy, event.host].filter((s) => s !== undefined).map(safeText);
  const by = who.length === 0 ? '' : ` (${who.join(' on ')})`;
  return [`×${event.count}${when}${by}`, ...safeLines(event.message)];
}

/** `not found (containerd) → notFound`, `node-side: disk full (containerd)`, then the text when not shown above. */
function runtimeError(c: ContainerDiagnosisReport): string[] {
  const e = c.runtimeError;
  const notes = [
    ...(e.writer === 'unknown' ? [] : [e.writer]),
    ...(e.mirrorsFailed ? ['mirrors also failed'] : []),
    ...(e.credentialsRejected ? ['credentials were sent and refused'] : []),
    ...(e.truncated ? ['read from its start only'] : []),
  ];
  const words = `${e.nodeSide ? 'node-side: ' : ''}${RUNTIME_WORDS[e.kind]}`;
  const line = `${words}${notes.length ? ` (${notes.join(', ')})` : ''}${e.findingClass ? ` → ${e.findingClass}` : ''}`;
  const shown = e.text === c.waiting.message || e.text === c.events.failed?.message || e.text === '';
  return containerField('Runtime error:', [line, ...(shown ? [] : safeLines(e.text))]);
}

function engineLines(engine: EngineView): string[] {
  if (engine.status === 'not-checked') return safeLines(`not checked: ${engine.reason}`);
  if (engine.findings.length === 0) return ['the image resolves with no problem'];
  // The finding's own fix is the webhook's advice; the commands under Fix: are diagnose's, for this pod.
  return engine.findings.flatMap((f) => safeLines(`${f.class}: ${f.cause}`));
}

/** The reason without the verdict it starts with (`still broken: …`), which the line above already says. */
function withoutVerdict(c: ContainerDiagnosisReport, words: string): string {
  const { reason } = c.reconciliation;
  return reason.startsWith(`${words}: `) ? reason.slice(words.length + 2) : reason;
}

/** Numbered steps; each command alone on its line, indented under its step, so it can be pasted. */
function fixLines(c: ContainerDiagnosisReport, paint: Paint): string[] {
  const label = `${INDENT}${paint('heading', 'Fix:')}`;
  if (c.fix.steps.length === 0) return [`${label}${' '.repeat(LABEL_WIDTH - 4)}no command to run: see the verdict`];
  const lines = [label];
  c.fix.steps.forEach((step, i) => {
    const number = `${INDENT}  ${i + 1}. `;
    const pad = ' '.repeat(number.length);
    lines.push(...safeLines(step.say).map((line, j) => `${j === 0 ? number : pad}${line}`));
    if (step.command !== undefined) lines.push(...safeLines(step.command).map((line) => `${pad}  ${line}`));
  });
  return lines;
}
