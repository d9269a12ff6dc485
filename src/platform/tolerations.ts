/**
 * Taints and tolerations, as the scheduler's TaintToleration filter applies them (k8s.io/api core/v1
 * `Toleration.ToleratesTaint`). Pure.
 */
import type { Toleration } from '../workload/extract-pod-spec.js';

/** A node taint (`spec.taints[]`). */
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** The taint the node controller adds to cordoned nodes (`spec.unschedulable: true`). */
export const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/**
 * Whether one toleration tolerates one taint: effects equal (an empty toleration effect matches all), keys equal
 * (an empty key with `Exists` matches every key), and `Exists`, or `Equal`/empty operator with equal values.
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const operator = toleration.operator || 'Equal';
  if (operator === 'Exists') return true;
  if (operator !== 'Equal') return false;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/**
 * The taints that keep a pod off a node: NoSchedule and NoExecute taints no toleration tolerates.
 * PreferNoSchedule only lowers a node's score, so it never excludes one.
 */
export function untoleratedTaints(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint[] {
  return taints.filter(
    (taint) =>
      (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') &&
      !tolerations.some((toleration) => toleratesTaint(toleration, taint)),
  );
}
