/**
 * A Pod from the API server (untrusted JSON) → its containers that are waiting on an image pull, with what the node
 * reported and what the pod asked for. The waiting reasons are the kubelet's image errors
 * (https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/images/types.go); the fields are the Pod's
 * (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/). Validated leniently with TypeBox:
 * unknown fields are allowed, optional fields may be absent or null. Pure and bounded.
 */
import Type, { type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { mergedSchemaProblems } from '../runtime/schema-errors.js';

export const PULL_FAILURE_REASONS = [
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'ImageInspectError',
] as const;
export type PullFailureReason = (typeof PULL_FAILURE_REASONS)[number];

/** The pod spec list a container is in, as the kubelet names it in an event's `fieldPath`. */
export type ContainerSection = 'initContainers' | 'containers' | 'ephemeralContainers';

/** A waiting message or an event text longer than this is cut; the kubelet's own are far shorter. */
export const MAX_TEXT_CHARS = 8 * 1024;

export interface FailingContainer {
  readonly section: ContainerSection;
  readonly name: string;
  /** As written in the pod spec (what the kubelet pulled); the status's normalized name when the spec has none. */
  readonly image: string;
  /** The status's `imageID`, when the node has one (an image pulled once before); absent when empty. */
  readonly imageID?: string;
  readonly reason: PullFailureReason;
  readonly message?: string;
  /** As the spec says it; the API server always fills it in (Always for `:latest` or no tag, else IfNotPresent). */
  readonly imagePullPolicy?: string;
}

export interface FailingPod {
  readonly namespace?: string;
  readonly name: string;
  readonly uid?: string;
  /** Absent while the pod is not scheduled. */
  readonly nodeName?: string;
  /** `default` when the spec names none, as the service account admission plugin sets it. */
  readonly serviceAccountName: string;
  /** The names of `spec.imagePullSecrets`, in order (the kubelet tries them in this order). */
  readonly imagePullSecrets: readonly string[];
  /** In kubelet start order: init, regular, then ephemeral containers. Empty when nothing waits on a pull. */
  readonly containers: readonly FailingContainer[];
}

export type PodReading =
  { readonly ok: true; readonly pod: FailingPod } | { readonly ok: false; readonly problem: string };

const Maybe = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
const ContainerSchema = Type.Object({
  name: Type.String(),
  image: Maybe(Type.String()),
  imagePullPolicy: Maybe(Type.String()),
});
const StatusSchema = Type.Object({
  name: Type.String(),
  image: Maybe(Type.String()),
  imageID: Maybe(Type.String()),
  state: Maybe(
    Type.Object({
      waiting: Maybe(Type.Object({ reason: Maybe(Type.String()), message: Maybe(Type.String()) })),
    }),
  ),
});
const PodSchema = Type.Object({
  metadata: Type.Object({
    name: Type.String({ minLength: 1 }),
    namespace: Maybe(Type.String()),
    uid: Maybe(Type.String()),
  }),
  spec: Type.Object({
    nodeName: Maybe(Type.String()),
    serviceAccountName: Maybe(Type.String()),
    imagePullSecrets: Maybe(Type.Array(Type.Object({ name: Maybe(Type.String()) }))),
    initContainers: Maybe(Type.Array(ContainerSchema)),
    containers: Maybe(Type.Array(ContainerSchema)),
    ephemeralContainers: Maybe(Type.Array(ContainerSchema)),
  }),
  status: Maybe(
    Type.Object({
      initContainerStatuses: Maybe(Type.Array(StatusSchema)),
      containerStatuses: Maybe(Type.Array(StatusSchema)),
      ephemeralContainerStatuses: Maybe(Type.Array(StatusSchema)),
    }),
  ),
});
const podValidator = Compile(PodSchema);

const STATUS_FIELD = {
  initContainers: 'initContainerStatuses',
  containers: 'containerStatuses',
  ephemeralContainers: 'ephemeralContainerStatuses',
} as const;

/** The text cut to {@link MAX_TEXT_CHARS}, with `…` when it was longer. */
export function clipText(text: string): string {
  return text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS)}…` : text;
}

function isPullFailureReason(reason: unknown): reason is PullFailureReason {
  return typeof reason === 'string' && (PULL_FAILURE_REASONS as readonly string[]).includes(reason);
}

/** Reads a Pod object; a problem (one line) when it does not have the shape of a Pod. */
export function readFailingPod(object: unknown): PodReading {
  if (!podValidator.Check(object)) {
    const [first] = mergedSchemaProblems(podValidator.Errors(object), (pointer) => pointer || '/');
    return { ok: false, problem: `not a Pod object: ${first ?? 'wrong shape'}` };
  }
  const { metadata, spec } = object;
  const containers: FailingContainer[] = [];
  for (const section of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const specs = new Map((spec[section] ?? []).map((c) => [c.name, c]));
    for (const status of object.status?.[STATUS_FIELD[section]] ?? []) {
      const waiting = status.state?.waiting;
      if (!isPullFailureReason(waiting?.reason)) continue;
      const written = specs.get(status.name);
      const image = written?.image || status.image || '';
      containers.push({
        section,
        name: status.name,
        image: clipText(image),
        reason: waiting.reason,
        ...(status.imageID ? { imageID: clipText(status.imageID) } : {}),
        ...(waiting.message ? { message: clipText(waiting.message) } : {}),
        ...(written?.imagePullPolicy ? { imagePullPolicy: written.imagePullPolicy } : {}),
      });
    }
  }
  const pod: FailingPod = {
    name: metadata.name,
    ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
    ...(metadata.uid ? { uid: metadata.uid } : {}),
    ...(spec.nodeName ? { nodeName: spec.nodeName } : {}),
    serviceAccountName: spec.serviceAccountName || 'default',
    imagePullSecrets: (spec.imagePullSecrets ?? []).flatMap((s) => (s.name ? [s.name] : [])),
    containers,
  };
  return { ok: true, pod };
}

/** Pods past this many in one list are not read (`-A` on a large cluster: the adapter pages its list). */
export const MAX_PODS = 20_000;

export interface FailingPodsReading {
  /** The pods with at least one container waiting on a pull, in list order, each with its object as read. */
  readonly pods: readonly { readonly object: unknown; readonly pod: FailingPod }[];
  /** Items that did not have the shape of a Pod, and were skipped. */
  readonly malformed: number;
  /** True when the list had more than {@link MAX_PODS} items and only the first were read. */
  readonly truncated: boolean;
  /** Set when the whole value is not a list (`items`): nothing could be read. */
  readonly problem?: string;
}

/**
 * The failing pods of a PodList (`--all-namespaces`) or of a workload's current pods (an array); a malformed pod is
 * skipped and counted, never a throw.
 */
export function readFailingPods(list: unknown): FailingPodsReading {
  const items = Array.isArray(list)
    ? list
    : typeof list === 'object' && list !== null && 'items' in list
      ? list.items
      : undefined;
  if (!Array.isArray(items))
    return { pods: [], malformed: 0, truncated: false, problem: 'not a PodList: no items array' };
  const pods: { object: unknown; pod: FailingPod }[] = [];
  let malformed = 0;
  for (const item of items.slice(0, MAX_PODS)) {
    const reading = readFailingPod(item);
    if (!reading.ok) malformed += 1;
    else if (reading.pod.containers.length > 0) pods.push({ object: item, pod: reading.pod });
  }
  return { pods, malformed, truncated: items.length > MAX_PODS };
}
