/**
 * The built-in custom resource kinds whose images pullguard checks (issue 15 item 6), one file of rows per project
 * under ./crd/, each row from the project's published CRD schema (the URL sits beside the rows).
 * Lookup is by group and kind, version-agnostic like findWorkloadKind.
 */
import type { CustomWorkloadKind } from './custom-workload-kind.js';
import { ARGO_KINDS } from './crd/argo.js';
import { KNATIVE_KINDS } from './crd/knative.js';
import { KSERVE_KINDS } from './crd/kserve.js';
import { TEKTON_KINDS } from './crd/tekton.js';
import { JOBSET_KINDS } from './crd/jobset.js';
import { LWS_KINDS } from './crd/lws.js';
import { RAY_KINDS } from './crd/ray.js';
import { KUBEFLOW_KINDS } from './crd/kubeflow.js';
import { KUBEFLOW_TRAINER_KINDS } from './crd/kubeflow-trainer.js';
import { KRUISE_KINDS } from './crd/kruise.js';

export const CUSTOM_WORKLOAD_KINDS: readonly CustomWorkloadKind[] = Object.freeze([
  ...ARGO_KINDS,
  ...TEKTON_KINDS,
  ...KNATIVE_KINDS,
  ...KSERVE_KINDS,
  ...JOBSET_KINDS,
  ...LWS_KINDS,
  ...RAY_KINDS,
  ...KUBEFLOW_KINDS,
  ...KUBEFLOW_TRAINER_KINDS,
  ...KRUISE_KINDS,
]);

const BY_GROUP_AND_KIND: ReadonlyMap<string, CustomWorkloadKind> = new Map(
  CUSTOM_WORKLOAD_KINDS.map((k) => [`${k.group}/${k.kind}`, k]),
);

/** The built-in row for a custom resource's API group and kind (case-sensitive), if any. */
export function findCustomWorkloadKind(group: string, kind: string): CustomWorkloadKind | undefined {
  return BY_GROUP_AND_KIND.get(`${group}/${kind}`);
}
