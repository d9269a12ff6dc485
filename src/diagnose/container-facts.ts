/**
 * One container a node failed to start because of its image: what the node said, what pullguard finds now, and the
 * facts the fix commands are built from. Every string here may come from the cluster, so none is trusted: the
 * commands quote them (shell-quote.ts).
 */
import type { Finding } from '../policy/finding.js';

/** The workload that owns the pod, as its controller chain ends (a ReplicaSet's Deployment, a Job's CronJob). */
export interface Owner {
  /** The Kubernetes kind as in `ownerReferences`: `Deployment`, `StatefulSet`, `CronJob` … */
  readonly kind: string;
  readonly name: string;
}

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface ContainerFacts {
  readonly namespace: string;
  readonly pod: string;
  /** Absent for a bare Pod. */
  readonly owner?: Owner;
  readonly container: string;
  /** `initContainers` for an init container; ephemeral containers cannot be patched and get no command. */
  readonly section: 'containers' | 'initContainers' | 'ephemeralContainers';
  /** The image exactly as written in the pod spec. */
  readonly image: string;
  /** The fully qualified reference (docs/design.md §1.2), when the image parsed: `docker.io/library/nginx:1.29`. */
  readonly canonical?: string;
  /** The registry host the image is pulled from (`docker.io`, `registry.example:5000`). */
  readonly registryHost: string;
  /** `Always`, `IfNotPresent`, `Never`, as the pod has it (the API server always sets one). */
  readonly pullPolicy?: string;
  readonly serviceAccount: string;
  /** The names the pod lists under `imagePullSecrets`. */
  readonly podPullSecrets: readonly string[];
  /** The names the service account lists under `imagePullSecrets`, when pullguard could read it. */
  readonly serviceAccountPullSecrets?: readonly string[];
  /** The pull secret the registry refused, by name in the pod's namespace, when the resolution names one. */
  readonly rejectedSecret?: string;
  /** The platform of the node the pod was scheduled to, when known. */
  readonly nodePlatform?: Platform;
  /** The platforms the image offers, when the platform check fetched its index. */
  readonly imagePlatforms?: readonly Platform[];
}

/** Everything {@link reconcile} reads about one failing container. */
export interface ReconcileInput {
  readonly container: ContainerFacts;
  /** The waiting message or the latest pull event's message, as the node wrote it. */
  readonly nodeMessage: string;
  /** The engine's findings for this image use now (none when it resolves with no problem). */
  readonly findings: readonly Finding[];
  /** Why the engine could not check the image now, when it could not: then only the node's view is known. */
  readonly notChecked?: string;
}
