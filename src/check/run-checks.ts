/**
 * Reviews one manifest object with the same reviewer the webhook uses, under its own deadline, like one admission
 * request. check-pipeline.ts runs a few at once.
 */
import { linkedDeadline } from '../runtime/linked-deadline.js';
import type { Reviewer, ReviewOutcome } from '../review/review-object.js';
import type { CheckTarget } from './classify-document.js';

export interface CheckedObject {
  readonly target: CheckTarget;
  readonly outcome: ReviewOutcome;
}

export interface ReviewOptions {
  readonly reviewer: Reviewer;
  /** The time budget of one review (`network.budget`), as for one admission request. */
  readonly budgetMs: number;
}

export async function reviewTarget(target: CheckTarget, options: ReviewOptions): Promise<CheckedObject> {
  // A deadline that ends with the review (see runtime/linked-deadline.ts for why not AbortSignal.timeout).
  const deadline = linkedDeadline(undefined, options.budgetMs, 'review budget exhausted');
  try {
    const outcome = await options.reviewer.review({
      kind: target.gvk,
      // A manifest is something about to be created: every image use is new.
      operation: 'CREATE',
      namespace: target.identity.namespace,
      object: target.object,
      signal: deadline.signal,
    });
    return { target, outcome };
  } finally {
    deadline.release();
  }
}
