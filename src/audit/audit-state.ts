/**
 * What the audit does with each check's result: the `ImageUnavailable` Warning Events to emit (a use that starts
 * failing, or fails differently; never the same failure again each cycle), the sparse gauge
 * `pullguard_audit_image_unavailable{namespace,kind,name,container,class}` (a series only for a failing use, deleted
 * when the use is fixed or gone) and the `pullguard_audit_images{outcome}` counts. Memory is bounded: one result per
 * check of the inventory last given to `prune` (and those recorded since), and at most `maxFailingUses` failing uses;
 * failures past that cap are counted, not remembered, and get neither an Event nor a series. Pure: the caller emits,
 * sets and deletes.
 */
import { describeUse } from '../policy/finding.js';
import type { FindingClass } from '../policy/finding-class.js';
import type { AuditCheck, AuditUse, WorkloadRef } from './inventory.js';

/** A check's result: available, unavailable with the finding's class and message, or not known this time. */
export type CheckResult =
  | { readonly outcome: 'available' }
  | { readonly outcome: 'unavailable'; readonly class: FindingClass; readonly message: string }
  /** The check could not run (a deadline, the rate limit): what was known stays as it was. */
  | { readonly outcome: 'error'; readonly message?: string }
  /** pullguard does not check it (the namespace's mode label is `off`, or the image is exempt): not a failure. */
  | { readonly outcome: 'skipped'; readonly reason: string };

export type AuditOutcome = CheckResult['outcome'] | 'pending';

export interface GaugeLabels {
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly container: string;
  readonly class: FindingClass;
}

export interface WorkloadEvent {
  readonly type: 'Warning';
  readonly reason: 'ImageUnavailable';
  readonly workload: WorkloadRef;
  readonly message: string;
}

export interface AuditActions {
  readonly events: readonly WorkloadEvent[];
  /** Series to set to 1. */
  readonly set: readonly GaugeLabels[];
  /** Series to remove. */
  readonly remove: readonly GaugeLabels[];
  /** Failing uses neither remembered nor reported: the cap on failing uses was reached. */
  readonly overflow: number;
}

/** An Event's message is at most 1024 bytes (the API server's limit on `note`); this keeps it well within. */
export const MAX_EVENT_MESSAGE = 1000;
const DEFAULT_MAX_FAILING_USES = 10_000;

interface Failing {
  readonly checkKey: string;
  readonly labels: GaugeLabels;
  readonly seriesKey: string;
  readonly message: string;
}

export class AuditState {
  readonly #results = new Map<string, CheckResult['outcome']>();
  readonly #failing = new Map<string, Failing>();
  /** Series key → how many failing uses export it (two uses may share the labels). */
  readonly #series = new Map<string, number>();

  constructor(private readonly maxFailingUses: number = DEFAULT_MAX_FAILING_USES) {}

  /** A check's new result: the actions it calls for. */
  record(check: AuditCheck, result: CheckResult): AuditActions {
    const actions = new ActionList();
    this.#results.set(check.key, result.outcome);
    if (result.outcome === 'error') return actions.done();
    const sent = new Set<string>();
    for (const use of check.uses) {
      const key = useKey(use);
      const before = this.#failing.get(key);
      if (result.outcome === 'available' || result.outcome === 'skipped') {
        if (before !== undefined) this.#drop(key, before, actions);
        continue;
      }
      const labels = Object.freeze({ ...gaugeWorkload(use), class: result.class });
      const message = eventMessage(check, use, result.message);
      if (before?.seriesKey === seriesKeyOf(labels) && before.message === message && before.checkKey === check.key)
        continue;
      if (before !== undefined) this.#drop(key, before, actions);
      else if (this.#failing.size >= this.maxFailingUses) {
        actions.overflow++;
        continue;
      }
      this.#add(key, { checkKey: check.key, labels, seriesKey: seriesKeyOf(labels), message }, actions);
      const eventKey = JSON.stringify([use.namespace, use.group, use.kind, use.name, message]);
      if (!sent.has(eventKey)) {
        sent.add(eventKey);
        actions.events.push(
          Object.freeze({ type: 'Warning', reason: 'ImageUnavailable', workload: workloadOf(use), message }),
        );
      }
    }
    return actions.done();
  }

  /**
   * The inventory changed: forget the results of checks that are gone, and the failures of uses that are gone or
   * now belong to another check (the workload was deleted, or its image, credentials or placement changed).
   */
  prune(checks: readonly AuditCheck[]): AuditActions {
    const actions = new ActionList();
    const current = new Map<string, string>();
    for (const check of checks) for (const use of check.uses) current.set(useKey(use), check.key);
    for (const [key, failing] of this.#failing)
      if (current.get(key) !== failing.checkKey) this.#drop(key, failing, actions);
    const keys = new Set(checks.map((check) => check.key));
    for (const key of this.#results.keys()) if (!keys.has(key)) this.#results.delete(key);
    return actions.done();
  }

  /** `pullguard_audit_images{outcome}`: the current checks by their latest result (`pending` before the first). */
  outcomes(checks: readonly AuditCheck[]): Readonly<Record<AuditOutcome, number>> {
    const counts = { available: 0, unavailable: 0, error: 0, skipped: 0, pending: 0 };
    for (const check of checks) counts[this.#results.get(check.key) ?? 'pending']++;
    return Object.freeze(counts);
  }

  /** How many failing uses are remembered (at most the cap). */
  get failingUses(): number {
    return this.#failing.size;
  }

  #add(key: string, failing: Failing, actions: ActionList): void {
    this.#failing.set(key, failing);
    const count = this.#series.get(failing.seriesKey) ?? 0;
    this.#series.set(failing.seriesKey, count + 1);
    if (count === 0) actions.set.push(failing.labels);
  }

  #drop(key: string, failing: Failing, actions: ActionList): void {
    this.#failing.delete(key);
    const count = (this.#series.get(failing.seriesKey) ?? 1) - 1;
    if (count > 0) this.#series.set(failing.seriesKey, count);
    else {
      this.#series.delete(failing.seriesKey);
      actions.remove.push(failing.labels);
    }
  }
}

class ActionList {
  readonly events: WorkloadEvent[] = [];
  readonly set: GaugeLabels[] = [];
  readonly remove: GaugeLabels[] = [];
  overflow = 0;

  /** A series removed and set again in one step is neither. */
  done(): AuditActions {
    const setKeys = new Set(this.set.map(seriesKeyOf));
    const removeKeys = new Set(this.remove.map(seriesKeyOf));
    return Object.freeze({
      events: Object.freeze(this.events),
      set: Object.freeze(this.set.filter((labels) => !removeKeys.has(seriesKeyOf(labels)))),
      remove: Object.freeze(this.remove.filter((labels) => !setKeys.has(seriesKeyOf(labels)))),
      overflow: this.overflow,
    });
  }
}

function useKey(use: AuditUse): string {
  return JSON.stringify([use.namespace, use.group, use.kind, use.name, use.path]);
}

function seriesKeyOf(labels: GaugeLabels): string {
  return JSON.stringify([labels.namespace, labels.kind, labels.name, labels.container, labels.class]);
}

function gaugeWorkload(use: AuditUse): Omit<GaugeLabels, 'class'> {
  return { namespace: use.namespace, kind: use.kind, name: use.name, container: use.container };
}

function workloadOf(use: AuditUse): WorkloadRef {
  return Object.freeze({
    namespace: use.namespace,
    group: use.group,
    kind: use.kind,
    name: use.name,
    ...(use.uid !== undefined ? { uid: use.uid } : {}),
  });
}

function eventMessage(check: AuditCheck, use: AuditUse, message: string): string {
  const text = `${describeUse({ image: check.image, name: use.container, section: use.section, path: use.path })}: ${message}`;
  return text.length > MAX_EVENT_MESSAGE ? `${text.slice(0, MAX_EVENT_MESSAGE - 1)}…` : text;
}
