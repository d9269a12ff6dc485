/**
 * Reviews the manifest objects with the same reviewer the webhook uses, a few at once, and keeps the input order.
 * Each object gets its own deadline, like one admission request.
 */
import { mapLimit } from '../runtime/map-limit.js';
import { linkedDeadline } from '../runtime/linked-deadline.js';
import type { Reviewer, ReviewOutcome } from '../review/review-object.js';
import type { CheckTarget } from './classify-document.js';

/** Objects reviewed at once; each review also bounds its own image checks. */
const OBJECTS_IN_FLIGHT = 8;

export interface CheckedObject {
  readonly target: CheckTarget;
  readonly outcome: ReviewOutcome;
}

export interface RunChecksOptions {
  readonly reviewer: Reviewer;
  /** The time budget of one review (`network.budget`), as for one admission request. */
  readonly budgetMs: number;
  readonly concurrency?: number;
  /** Called after each object with the number done so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

export async function runChecks(targets: readonly CheckTarget[], options: RunChecksOptions): Promise<CheckedObject[]> {
  let done = 0;
  return mapLimit(targets, options.concurrency ?? OBJECTS_IN_FLIGHT, async (target) => {
    // A deadline that ends with the review (see runtime/linked-deadline.ts for why not AbortSignal.timeout).
    const deadline = linkedDeadline(undefined, options.budgetMs, 'review budget exhausted');
    let outcome: ReviewOutcome;
    try {
      outcome = await options.reviewer.review({
        kind: target.gvk,
        // A manifest is something about to be created: every image use is new.
        operation: 'CREATE',
        namespace: target.identity.namespace,
        object: target.object,
        signal: deadline.signal,
      });
    } finally {
      deadline.release();
    }
    done += 1;
    options.onProgress?.(done, targets.length);
    return { target, outcome };
  });
}
