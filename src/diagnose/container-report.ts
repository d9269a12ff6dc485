/**
 * One failing container's part of the report: what the node saw, the runtime's error classified, what pullguard's
 * engine sees now, the two reconciled and the fix. Pure: every read happened before (diagnose-pod.ts).
 */
import type { Finding } from '../policy/finding.js';
import { classifyRuntimeMessage, findingClassOfRuntimeError } from '../policy/runtime-message.js';
import type { ContainerFacts, Owner } from './container-facts.js';
import { diagnoseContainer } from './diagnosis.js';
import type { FailingContainer, FailingPod } from './failing-containers.js';
import type { ImageCheck, PodCheck } from './pod-check-port.js';
import type { ContainerPullEvents } from './pull-events.js';
import type { ContainerDiagnosisReport, EngineView, FindingSummary, NodeFacts } from './report.js';

export interface ContainerReportInput {
  readonly pod: FailingPod;
  readonly namespace: string;
  readonly owner?: Owner;
  readonly node?: NodeFacts;
  readonly container: FailingContainer;
  readonly events?: ContainerPullEvents;
  readonly check: PodCheck;
}

export function containerReport(input: ContainerReportInput): ContainerDiagnosisReport {
  const { container, events, check } = input;
  const image = check.status === 'checked' ? imageCheckOf(check.images, container) : undefined;
  const findings = image?.findings ?? [];
  const nodeMessage = nodeErrorText(container, events);
  const facts = containerFacts(input, image, check);
  const engine = engineView(check, image);
  const notChecked = engine.status === 'not-checked' ? { notChecked: engine.reason } : {};
  const { reconciliation, fix } = diagnoseContainer({ container: facts, nodeMessage, findings, ...notChecked });
  const { node: classified, finding, ...verdict } = reconciliation;
  const findingClass = findingClassOfRuntimeError(classified.kind);
  return {
    name: container.name,
    section: container.section,
    image: container.image,
    ...(container.imagePullPolicy ? { imagePullPolicy: container.imagePullPolicy } : {}),
    waiting: { reason: container.reason, ...(container.message ? { message: container.message } : {}) },
    events: {
      ...(events?.failed ? { failed: events.failed } : {}),
      ...(events?.backOff ? { backOff: events.backOff } : {}),
    },
    runtimeError: { ...classified, ...(findingClass ? { findingClass } : {}), text: nodeMessage },
    engine,
    reconciliation: { ...verdict, ...(finding ? { finding: summary(finding) } : {}) },
    fix,
  };
}

/**
 * The node's own error: the latest `Failed` event says what the runtime answered; an `ErrImagePull` waiting message
 * says the same; `ImagePullBackOff`'s is only `Back-off pulling image …`, so it comes last.
 */
function nodeErrorText(container: FailingContainer, events: ContainerPullEvents | undefined): string {
  const candidates = [events?.failed?.message, container.message, events?.backOff?.message];
  const texts = candidates.filter((text): text is string => typeof text === 'string' && text !== '');
  return texts.find((text) => classifyRuntimeMessage(text).kind !== 'unknown') ?? texts[0] ?? '';
}

function imageCheckOf(images: readonly ImageCheck[], container: FailingContainer): ImageCheck | undefined {
  return images.find((i) => i.section === container.section && i.name === container.name);
}

function containerFacts(input: ContainerReportInput, image: ImageCheck | undefined, check: PodCheck): ContainerFacts {
  const { pod, container, owner, node } = input;
  const saSecrets = check.status === 'checked' ? check.serviceAccountPullSecrets : undefined;
  return {
    namespace: input.namespace,
    pod: pod.name,
    ...(owner ? { owner } : {}),
    container: container.name,
    section: container.section,
    image: container.image,
    ...(image?.canonical ? { canonical: image.canonical } : {}),
    registryHost: image?.registryHost ?? registryHostOf(container.image),
    ...(container.imagePullPolicy ? { pullPolicy: container.imagePullPolicy } : {}),
    serviceAccount: pod.serviceAccountName,
    podPullSecrets: pod.imagePullSecrets,
    ...(saSecrets ? { serviceAccountPullSecrets: saSecrets } : {}),
    ...(image?.rejectedSecret ? { rejectedSecret: image.rejectedSecret } : {}),
    ...(node?.platform ? { nodePlatform: node.platform } : {}),
    ...(image?.imagePlatforms ? { imagePlatforms: image.imagePlatforms } : {}),
  };
}

/** Docker's reading of the first path component: a host when it has a `.` or `:`, or is `localhost`. */
function registryHostOf(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io';
}

function engineView(check: PodCheck, image: ImageCheck | undefined): EngineView {
  if (check.status === 'not-checked') return check;
  if (image === undefined) return { status: 'not-checked', reason: 'the engine has no check for this container' };
  return { status: 'checked', findings: image.findings.map(summary) };
}

function summary(finding: Finding): FindingSummary {
  // The message renderer's fix text carries its own `Fix: ` label; the report holds the fix itself.
  const fix = finding.fix?.replace(/^Fix: /, '');
  return { class: finding.class, cause: finding.cause, ...(fix ? { fix } : {}) };
}
