/**
 * The {@link AuditCheckPort} over the webhook's reviewer: one distinct check is reviewed as a new Pod in the check's
 * namespace that holds exactly that image use (as a container, with its pull policy) and the workload's pull
 * credentials and placement: service account, `imagePullSecrets` as listed, node selector, required node affinity,
 * tolerations, node name and OS. The reviewer then reads the same secrets and picks the same platforms as for the
 * workload itself (docs/design.md §1.3, §1.4). Never rejects.
 */
import type { AuditCheckPort } from '../audit/audit-check-port.js';
import { checkResultOf, type ReviewedCheck } from '../audit/check-result.js';
import type { AuditCheck } from '../audit/inventory.js';
import type { Reviewer, ReviewOutcome } from '../review/review-object.js';
import { linkedDeadline } from '../runtime/linked-deadline.js';

export interface AuditCheckOptions {
  readonly reviewer: Reviewer;
  /** Per check: the registry work of one image and its credentials. */
  readonly budgetMs: number;
}

/** The name of the Pod the checks are reviewed as (in messages only: it is never created). */
const POD_NAME = 'pullguard-audit';

export function createAuditCheck(options: AuditCheckOptions): AuditCheckPort {
  return async (check, signal) => {
    const seconds = Math.round(options.budgetMs / 1000);
    const deadline = linkedDeadline(signal, options.budgetMs, 'audit check budget exhausted');
    try {
      const outcome = await options.reviewer.review({
        kind: { group: '', version: 'v1', kind: 'Pod' },
        operation: 'CREATE',
        namespace: check.credentials.namespace,
        name: POD_NAME,
        object: auditPod(check),
        signal: deadline.signal,
      });
      return checkResultOf(reviewedCheck(outcome), {
        outOfTime: deadline.signal.aborted,
        outOfTimeMessage: `the check ran out of its ${seconds}s budget`,
        stopped: signal.aborted,
      });
    } catch (error) {
      // The reviewer fails only the image an unexpected error happened in; this is a backstop.
      const name = error instanceof Error ? error.name : 'error';
      return { outcome: 'error', message: `the check failed (${name})` };
    } finally {
      deadline.release();
    }
  };
}

function reviewedCheck(outcome: ReviewOutcome): ReviewedCheck {
  if (outcome.status !== 'reviewed') return outcome;
  const report = outcome.uses[0];
  return {
    status: 'reviewed',
    findings: outcome.decision.findings,
    ...(report?.skipped !== undefined ? { notAsked: report.skipped } : {}),
  };
}

/** The Pod the check is reviewed as: one container with the check's image, and the workload's pod-level fields. */
export function auditPod(check: AuditCheck): unknown {
  const { view, use } = check;
  const container = {
    name: use.name === '' ? 'image' : use.name,
    image: use.image,
    ...(use.pullPolicy !== undefined ? { imagePullPolicy: use.pullPolicy } : {}),
  };
  const affinity =
    view.requiredNodeAffinity.length > 0
      ? {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: view.requiredNodeAffinity },
          },
        }
      : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: POD_NAME, namespace: check.credentials.namespace },
    spec: {
      containers: [container],
      serviceAccountName: view.serviceAccountName,
      ...(view.imagePullSecrets.length > 0
        ? { imagePullSecrets: view.imagePullSecrets.map((name) => (name === '' ? {} : { name })) }
        : {}),
      ...(Object.keys(view.nodeSelector).length > 0 ? { nodeSelector: view.nodeSelector } : {}),
      ...(affinity !== undefined ? { affinity } : {}),
      ...(view.tolerations.length > 0 ? { tolerations: view.tolerations } : {}),
      ...(view.nodeName !== undefined ? { nodeName: view.nodeName } : {}),
      ...(view.osName !== undefined ? { os: { name: view.osName } } : {}),
    },
  };
}
