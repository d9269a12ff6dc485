/**
 * Which listed objects the audit reads itself, and which it leaves to their owner: a Pod, ReplicaSet or Job made by
 * a controller pulls the images of its owner's template, so checking both would count one use twice
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents/). A Pod that has finished
 * never pulls again, and an object being deleted is on its way out. Reads untrusted JSON; pure; never throws.
 */
import { isRecord } from '../runtime/json-shape.js';
import { metadataOf } from '../workload/object-metadata.js';

/** Why an object is not audited; undefined when it is. */
export type SkipCause = 'ownedByController' | 'finished' | 'deleting';

/** The controller owner's kind (the owner reference with `controller: true`), if any. */
function controllerKind(object: unknown): string | undefined {
  const owners = metadataOf(object)?.['ownerReferences'];
  if (!Array.isArray(owners)) return undefined;
  for (const owner of owners) {
    if (isRecord(owner) && owner['controller'] === true) {
      const kind = owner['kind'];
      return typeof kind === 'string' ? kind : '';
    }
  }
  return undefined;
}

/**
 * Pods and ReplicaSets with any controller are their owner's pods (a Deployment's, a StatefulSet's, a Job's, a
 * custom resource's); a Job is left out only when a CronJob made it, as the CronJob's template is audited instead.
 */
export function skipCause(group: string, kind: string, object: unknown): SkipCause | undefined {
  if (metadataOf(object)?.['deletionTimestamp'] != null) return 'deleting';
  const core = group === '' || group === 'core';
  const owner = controllerKind(object);
  if (core && kind === 'Pod') {
    if (owner !== undefined) return 'ownedByController';
    const status = isRecord(object) ? object['status'] : undefined;
    const phase = isRecord(status) ? status['phase'] : undefined;
    return phase === 'Succeeded' || phase === 'Failed' ? 'finished' : undefined;
  }
  if (group === 'apps' && kind === 'ReplicaSet') return owner !== undefined ? 'ownedByController' : undefined;
  if (group === 'batch' && kind === 'Job') return owner === 'CronJob' ? 'ownedByController' : undefined;
  return undefined;
}
