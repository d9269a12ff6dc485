/**
 * What the review use case needs from the outside world, as narrow ports. Adapters (registry client, Kubernetes
 * readers, node watcher) implement them; tests and the offline CLI pass fewer of them.
 */
import type { PullCredentials } from '../credentials/pull-credentials.js';
import type { CandidatePlatforms, PodPlacement } from '../platform/candidate-platforms.js';
import type { NamespaceMode } from '../policy/namespace-mode.js';
import type { Runtime } from '../policy/runtime-words.js';
import type { PodSpecView } from '../workload/extract-pod-spec.js';
import type { RegistryCheck } from '../policy/static-findings.js';
import type { NodePlan } from './node-plan.js';

/** The pull credentials of a pod spec (credentials/pod-keychain.ts over the cluster readers in production). */
export type PullCredentialsPort = (options: {
  readonly namespace: string;
  readonly imagePullSecrets: readonly string[];
  readonly serviceAccountName: string;
  readonly isTemplate: boolean;
  readonly signal: AbortSignal;
}) => Promise<PullCredentials>;

/**
 * The namespace's `pullguard.io/mode` label: its mode, or undefined when the namespace has no valid label (the
 * global mode applies). Rejects when the label cannot be read; an error named `TimeoutError` means the read ran
 * out of time.
 */
export interface NamespaceModePort {
  (namespace: string, signal: AbortSignal): Promise<NamespaceMode | undefined>;
  /** The label without I/O when it is known locally (a watched namespace); undefined when it is not known. */
  known?(namespace: string): { readonly mode: NamespaceMode | undefined } | undefined;
}

/**
 * Where the node would pull a checked image from (docs/design.md §1.10): a route of endpoints, a refusal, or
 * undefined when it pulls straight from the image's registry (cli/node-plan-port.ts over src/node-pull).
 */
export type NodePlanPort = (check: RegistryCheck) => NodePlan | undefined;

/** The platforms a pod spec can run on, or undefined when unknown (no nodes and no configured platforms). */
export type PlatformPort = (view: PodSpecView) => CandidatePlatforms | undefined;

/**
 * The container runtime of the nodes a pod with this placement can land on (of most nodes without one), whose words a
 * denial quotes; undefined when unknown (runtime-in-use.ts).
 */
export type RuntimePort = (placement?: PodPlacement) => Runtime | undefined;
