/**
 * The identity of one distinct check: what decides whether a pull succeeds, and nothing else. Two uses with the same
 * canonical reference, the same credentials (namespace, service account, pull secret names; docs/design.md §1.4) and
 * the same placement (the node selector, required node affinity, tolerations, node name and OS that pick the
 * platforms a pull must serve; docs/design.md §1.3) get the same answer from the registry. Pure.
 */
import type { PodSpecView } from '../workload/extract-pod-spec.js';

/** The credential context of a use: whose secrets the kubelet pulls with. */
export interface CredentialContext {
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** As listed, without the nameless entries the kubelet skips. */
  readonly pullSecretNames: readonly string[];
}

export function credentialContext(namespace: string, view: PodSpecView): CredentialContext {
  return Object.freeze({
    namespace,
    serviceAccountName: view.serviceAccountName,
    pullSecretNames: Object.freeze(view.imagePullSecrets.filter((name) => name !== '')),
  });
}

/**
 * The placement as stable text: map keys sorted, so `{a, b}` and `{b, a}` are one placement; list order is kept, as
 * the API keeps it.
 */
export function placementKey(view: PodSpecView): string {
  return JSON.stringify([
    Object.keys(view.nodeSelector)
      .sort()
      .map((key) => [key, view.nodeSelector[key]]),
    view.requiredNodeAffinity,
    view.tolerations,
    view.nodeName ?? null,
    view.osName ?? null,
  ]);
}

/** The key of a check: the reference (canonical, or the text as written when it does not parse), the credentials, the placement. */
export function checkKey(reference: string, credentials: CredentialContext, placement: string): string {
  return JSON.stringify([
    reference,
    credentials.namespace,
    credentials.serviceAccountName,
    credentials.pullSecretNames,
    placement,
  ]);
}
