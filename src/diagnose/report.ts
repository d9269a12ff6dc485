/**
 * What `pullguard diagnose` found, as one value: the text and JSON outputs (render-text.ts, render-json.ts) both
 * render it, and the exit code is read from it ({@link exitCodeOf}). docs/diagnose.md documents the JSON form.
 */
import type { FindingClass } from '../policy/finding-class.js';
import type { RuntimeMessageClass } from '../policy/runtime-message.js';
import type { Owner, Platform } from './container-facts.js';
import type { ContainerSection, PullFailureReason } from './failing-containers.js';
import type { Fix } from './fix-commands.js';
import type { PullEvent } from './pull-events.js';
import type { Reconciliation } from './reconcile.js';

export interface DiagnoseReport {
  /** Every pod with a container waiting on an image pull, in the order the targets were given (`-A`: by namespace, name). */
  readonly pods: readonly PodDiagnosis[];
  /** Targets found and not failing, one sentence each: `pod shop/web is not failing: its containers have their images.` */
  readonly notFailing: readonly string[];
  /**
   * Targets that could not be diagnosed at all, one sentence each: a pod that does not exist, a workload pullguard may
   * not read. Any of them makes the exit code 2.
   */
  readonly problems: readonly string[];
  /**
   * Reads that failed while diagnosing went on, one sentence each (`cannot read events in namespace shop: forbidden`):
   * the diagnosis says less, and says so.
   */
  readonly unread: readonly string[];
}

export interface NodeFacts {
  readonly name: string;
  /** From the Node's `status.nodeInfo` and labels; absent when the Node could not be read. */
  readonly platform?: Platform;
  /** `status.nodeInfo.containerRuntimeVersion`: `containerd://2.1.4`, `cri-o://1.34.1`, `docker://28.3.2`. */
  readonly containerRuntime?: string;
}

export interface PodDiagnosis {
  readonly namespace: string;
  readonly name: string;
  /** The workload whose pod template makes the pod (a ReplicaSet's Deployment, a Job's CronJob); absent for a bare Pod. */
  readonly owner?: Owner;
  /** Absent while the pod is not scheduled. */
  readonly node?: NodeFacts;
  readonly serviceAccount: string;
  readonly imagePullSecrets: readonly string[];
  readonly containers: readonly ContainerDiagnosisReport[];
}

/** One finding of the engine, as diagnose shows it. */
export interface FindingSummary {
  readonly class: FindingClass;
  readonly cause: string;
  readonly fix?: string;
}

/** What pullguard's engine says about the image now. */
export type EngineView =
  | { readonly status: 'checked'; readonly findings: readonly FindingSummary[] }
  /** The engine could not check it (the pod's object is not one it reads, the check failed): why. */
  | { readonly status: 'not-checked'; readonly reason: string };

export interface ContainerDiagnosisReport {
  readonly name: string;
  readonly section: ContainerSection;
  readonly image: string;
  readonly imagePullPolicy?: string;
  /** What the node saw: the container's waiting reason and message. */
  readonly waiting: { readonly reason: PullFailureReason; readonly message?: string };
  /** The latest `Failed` event about the pull (`Failed to pull image …`) and the latest `BackOff` one. */
  readonly events: { readonly failed?: PullEvent; readonly backOff?: PullEvent };
  /** The runtime's error classified, and the finding class that says the same (none for a full disk). */
  readonly runtimeError: RuntimeMessageClass & { readonly findingClass?: FindingClass; readonly text: string };
  readonly engine: EngineView;
  readonly reconciliation: Omit<Reconciliation, 'node' | 'finding'> & { readonly finding?: FindingSummary };
  readonly fix: Fix;
}

const EXIT_NOTHING_FAILING = 0;
const EXIT_FAILING = 1;
export const EXIT_USAGE_OR_ACCESS = 2;

/** 2 when a target could not be diagnosed, else 1 when something is failing, else 0. */
export function exitCodeOf(report: DiagnoseReport): number {
  if (report.problems.length > 0) return EXIT_USAGE_OR_ACCESS;
  return report.pods.length > 0 ? EXIT_FAILING : EXIT_NOTHING_FAILING;
}
