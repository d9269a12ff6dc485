/**
 * Which manifest documents `pullguard check` reviews: the kinds of the {@link WorkloadCatalog} it is given (docs/design.md
 * §1.1: the built-in kinds, the custom resources with pod specs, and the `workloads:` entries of the config file).
 * Built-in kinds that carry no images (ConfigMap, Service, RBAC, …) are ignored quietly; any other kind (an unknown
 * CRD, a typo) is skipped with a note, because it may hold images pullguard cannot see. Pure.
 */
import { splitApiVersion } from '../workload/pod-spec-paths.js';
import { BUILT_IN_WORKLOADS, workloadCatalog, type WorkloadCatalog } from '../workload/workload-catalog.js';
import type { Config } from '../config/load-config.js';
import type { ManifestDocument } from './parse-manifests.js';
import { isRecord } from '../runtime/json-shape.js';

/** What a checked object is called in the output. */
export interface ObjectIdentity {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** One object to hand to the reviewer, with where it came from. */
export interface CheckTarget {
  readonly file: string;
  readonly line: number;
  readonly identity: ObjectIdentity;
  readonly gvk: { readonly group: string; readonly version: string; readonly kind: string };
  readonly object: Record<string, unknown>;
}

export type Classified =
  | { readonly type: 'check'; readonly target: CheckTarget }
  | { readonly type: 'ignore' }
  | { readonly type: 'skip'; readonly note: string };

/** kubectl's namespace when a manifest names none. */
const DEFAULT_NAMESPACE = 'default';

/** `group/kind` of built-in kinds with no pod spec and no images. */
const IMAGELESS_KINDS: ReadonlySet<string> = new Set([
  ...[
    'ConfigMap',
    'Secret',
    'Service',
    'ServiceAccount',
    'Namespace',
    'Endpoints',
    'PersistentVolume',
    'PersistentVolumeClaim',
    'LimitRange',
    'ResourceQuota',
    'Event',
    'Binding',
    'ComponentStatus',
    'Node',
  ].map((k) => `/${k}`),
  ...['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].map((k) => `rbac.authorization.k8s.io/${k}`),
  ...['Ingress', 'IngressClass', 'NetworkPolicy', 'IPAddress', 'ServiceCIDR'].map((k) => `networking.k8s.io/${k}`),
  'policy/PodDisruptionBudget',
  'policy/PodSecurityPolicy',
  // served from extensions/v1beta1 before they moved (removed in Kubernetes 1.16 and 1.22)
  ...['Ingress', 'NetworkPolicy', 'PodSecurityPolicy'].map((k) => `extensions/${k}`),
  'autoscaling/HorizontalPodAutoscaler',
  'apps/ControllerRevision',
  'discovery.k8s.io/EndpointSlice',
  'events.k8s.io/Event',
  'coordination.k8s.io/Lease',
  'scheduling.k8s.io/PriorityClass',
  'node.k8s.io/RuntimeClass',
  ...['StorageClass', 'VolumeAttachment', 'CSIDriver', 'CSINode', 'CSIStorageCapacity', 'VolumeAttributesClass'].map(
    (k) => `storage.k8s.io/${k}`,
  ),
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  ...[
    'ValidatingWebhookConfiguration',
    'MutatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
    'MutatingAdmissionPolicy',
    'MutatingAdmissionPolicyBinding',
  ].map((k) => `admissionregistration.k8s.io/${k}`),
  ...['FlowSchema', 'PriorityLevelConfiguration'].map((k) => `flowcontrol.apiserver.k8s.io/${k}`),
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  ...['ResourceClaim', 'ResourceClaimTemplate', 'DeviceClass', 'ResourceSlice'].map((k) => `resource.k8s.io/${k}`),
  // kustomize's own documents, which `kustomize build` never emits but directories of bases contain
  'kustomize.config.k8s.io/Kustomization',
  'kustomize.config.k8s.io/Component',
]);

/** The kinds `check` reads: the built-in ones, plus the `workloads:` entries of its config file (docs/design.md §3.1). */
export function checkedKinds(config: Pick<Config, 'workloads'>): WorkloadCatalog {
  return config.workloads.length === 0 ? BUILT_IN_WORKLOADS : workloadCatalog(config.workloads);
}

/** `catalog`: the kinds to check (`workloadCatalog(config.workloads)`, or `BUILT_IN_WORKLOADS` with no config file). */
export function classifyDocument(document: ManifestDocument, catalog: WorkloadCatalog): Classified {
  const { value } = document;
  const where = `${document.file}:${document.line}`;
  if (!isRecord(value))
    return { type: 'skip', note: `${where}: not a Kubernetes object (a ${describeType(value)}); skipped` };
  const apiVersion = value['apiVersion'];
  const kind = value['kind'];
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') {
    return { type: 'skip', note: `${where}: no apiVersion and kind, so not a Kubernetes object; skipped` };
  }
  const { group, version } = splitApiVersion(apiVersion);
  if (catalog.find(group, kind, version) === undefined) {
    if (IMAGELESS_KINDS.has(`${group}/${kind}`)) return { type: 'ignore' };
    const versions = catalog.find(group, kind)?.versions;
    if (versions) {
      const read = versions.map((v) => `${group}/${v}`).join(', ');
      return {
        type: 'skip',
        note: `${where}: ${kind} (${apiVersion}) is an older schema pullguard does not read (it reads ${read}); skipped`,
      };
    }
    return { type: 'skip', note: `${where}: ${kind} (${apiVersion}) is not a kind pullguard checks; skipped` };
  }
  const metadata = isRecord(value['metadata']) ? value['metadata'] : {};
  const identity: ObjectIdentity = {
    kind,
    namespace: nonEmptyString(metadata['namespace']) ?? DEFAULT_NAMESPACE,
    name: nonEmptyString(metadata['name']) ?? nonEmptyString(metadata['generateName']) ?? '',
  };
  return {
    type: 'check',
    target: { file: document.file, line: document.line, identity, gvk: { group, version, kind }, object: value },
  };
}

function describeType(value: unknown): string {
  return Array.isArray(value) ? 'list' : typeof value;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
