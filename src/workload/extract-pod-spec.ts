/**
 * Reads the pod spec of an admitted object: every image use with its field path, and the pod-level inputs the
 * checks need (pull secrets, service account, scheduling constraints including `nodeName` and `os.name`).
 * docs/design.md §1.1. Pure; never throws on bad input.
 *
 * Decisions:
 * - A container (or image volume) whose image is absent, null or '' is skipped: the API server rejects such
 *   objects anyway, and there is nothing to resolve. An image that is only whitespace is kept as written, so the
 *   reference parser reports it.
 * - A missing or null pod spec (e.g. a Deployment with no template) is ok with zero uses; a pod spec, or an object
 *   on the way to it, that is not an object is a problem.
 */
import { createRequire } from 'node:module';
import type { TSchema } from 'typebox';
import type { Compile as CompileSchema, Validator } from 'typebox/compile';
import type { ImageUse, ImageUseSection } from './image-use.js';
import type { WorkloadKind, WorkloadName } from './pod-spec-paths.js';
import { Check as isPodSpec, POD_SPEC_SCHEMA } from './pod-spec-check.generated.js';
import type {
  ContainerInput,
  NodeSelectorRequirementInput,
  NodeSelectorTermInput,
  PodSpecInput,
  TolerationInput,
} from './pod-spec-schema.js';
import { describeSchemaProblem } from './schema-problem.js';
import { isRecord } from '../runtime/json-shape.js';

export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}
export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}
export interface NodeSelectorTerm {
  readonly matchExpressions?: readonly NodeSelectorRequirement[];
  readonly matchFields?: readonly NodeSelectorRequirement[];
}

/** What pullguard needs from one pod spec. */
export interface PodSpecView {
  /** The object's kind: a built-in row, or a custom resource's (custom-workloads.ts). */
  readonly workload: WorkloadName;
  /** 'spec', 'spec.template.spec', ... */
  readonly podSpecPath: string;
  /** Every kind but Pod: the spec is a template for pods created later. */
  readonly isTemplate: boolean;
  /**
   * Set when the object has no pod-level fields for these uses (a Tekton Task's steps: the TaskRun or PipelineRun
   * that runs it supplies them), so `podSpecPath` names no place for pull secrets.
   */
  readonly noPodFields?: true;
  /** In order: initContainers, containers, ephemeralContainers, volumes. */
  readonly uses: readonly ImageUse[];
  /**
   * Secret names as listed, in order, '' for an entry without a name: the kubelet skips those, but they keep their
   * place (a finding's field path `imagePullSecrets[i]` uses the index) and they count for the ServiceAccount plugin,
   * which copies the service account's secrets only `if len(pod.Spec.ImagePullSecrets) == 0`
   * (plugin/pkg/admission/serviceaccount): `imagePullSecrets: [{}]` keeps them out although it names no secret.
   */
  readonly imagePullSecrets: readonly string[];
  /** serviceAccountName ?? (deprecated) serviceAccount ?? 'default' (empty strings count as absent). */
  readonly serviceAccountName: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms */
  readonly requiredNodeAffinity: readonly NodeSelectorTerm[];
  readonly tolerations: readonly Toleration[];
  /** `spec.nodeName` when set (not ''): the pod is bound to that node and skips the scheduler. */
  readonly nodeName?: string;
  /**
   * `spec.os.name` when set (not ''), as written: the kubelet admits the pod only on a node of that OS. The API
   * server accepts only `linux` and `windows`; the platform check ignores any other value (see candidate-platforms.ts).
   */
  readonly osName?: string;
}

export type ExtractResult =
  { readonly ok: true; readonly view: PodSpecView } | { readonly ok: false; readonly problem: string }; // e.g. 'spec.template.spec.containers[0].image must be a string'

const CONTAINER_SECTIONS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * `object` is the decoded `request.object` (unknown). The pod spec part is validated with a TypeBox schema (lenient:
 * unknown fields allowed, optional lists may be absent or null), never cast. A missing pod spec is ok with zero uses.
 */
export function extractPodSpec(workload: WorkloadKind, object: unknown): ExtractResult {
  const podSpecPath = workload.podSpecPath.join('.');
  if (!isRecord(object)) return { ok: false, problem: `${workload.kind} must be an object` };
  let current: unknown = object;
  const walked: string[] = [];
  for (const segment of workload.podSpecPath) {
    if (current === undefined || current === null) break;
    if (!isRecord(current)) return { ok: false, problem: `${walked.join('.')} must be an object` };
    walked.push(segment);
    current = current[segment];
  }
  return viewPodSpec(workload, podSpecPath, current, { isTemplate: workload.podSpecPath.length > 1 });
}

/** How {@link viewPodSpec} reads a pod spec found by a caller. */
export interface ViewOptions {
  readonly isTemplate: boolean;
  /**
   * The view's uses instead of the spec's own containers: a custom resource's bare containers, viewed with the
   * pod-level fields of the object at `podSpecPath` (custom-workload-kind.ts `podFields`).
   */
  readonly uses?: readonly ImageUse[];
  /** The object has no pod-level fields for these uses (see {@link PodSpecView.noPodFields}). */
  readonly noPodFields?: true;
}

/**
 * Views `value`, found at `podSpecPath` (kubectl style, may hold list indices: `spec.templates[0]`), as a pod spec.
 * Absent or null is an empty pod spec. Used for built-in kinds and for the pod specs of custom resources.
 */
export function viewPodSpec(
  workload: WorkloadName,
  podSpecPath: string,
  value: unknown,
  options: ViewOptions,
): ExtractResult {
  if (value === undefined || value === null) return { ok: true, view: buildView(workload, podSpecPath, {}, options) };
  if (!isPodSpec(value)) {
    const errors = schemaValidator().Errors(value);
    return { ok: false, problem: describeSchemaProblem({ errors, value, basePath: podSpecPath }) };
  }
  return { ok: true, view: buildView(workload, podSpecPath, value as PodSpecInput, options) };
}

let explainer: Validator | undefined;

/**
 * TypeBox's compiled validator of the same schema, loaded and compiled on the first invalid spec only: it explains what
 * the precompiled check rejected, and loading TypeBox costs more than the rest of `pullguard check`'s start-up
 * (docs/benchmarks.md, P9). A synchronous `require` of the ES module keeps extraction synchronous
 * (https://nodejs.org/api/modules.html#loading-ecmascript-modules-using-require).
 */
function schemaValidator(): Validator {
  if (explainer === undefined) {
    const { Compile } = createRequire(import.meta.url)('typebox/compile') as { Compile: typeof CompileSchema };
    explainer = Compile(POD_SPEC_SCHEMA as TSchema);
  }
  return explainer;
}

function buildView(workload: WorkloadName, podSpecPath: string, spec: PodSpecInput, options: ViewOptions): PodSpecView {
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  // Built field by field rather than with conditional spreads: this runs on every review.
  const view: { -readonly [K in keyof PodSpecView]: PodSpecView[K] } = {
    workload,
    podSpecPath,
    isTemplate: options.isTemplate,
    uses: Object.freeze(options.uses === undefined ? imageUses(podSpecPath, spec) : [...options.uses]),
    imagePullSecrets: Object.freeze((spec.imagePullSecrets ?? []).map((s) => s.name ?? '')),
    serviceAccountName: nonEmpty(spec.serviceAccountName) ?? nonEmpty(spec.serviceAccount) ?? 'default',
    nodeSelector: copyLabels(spec.nodeSelector),
    requiredNodeAffinity: Object.freeze((required?.nodeSelectorTerms ?? []).map(copyTerm)),
    tolerations: Object.freeze((spec.tolerations ?? []).map(copyToleration)),
  };
  if (options.noPodFields) view.noPodFields = true;
  const nodeName = nonEmpty(spec.nodeName);
  if (nodeName !== undefined) view.nodeName = nodeName;
  const osName = nonEmpty(spec.os?.name);
  if (osName !== undefined) view.osName = osName;
  return Object.freeze(view);
}

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/** A frozen copy; keys are defined as own data properties, so a `__proto__` label stays a plain key. */
function copyLabels(labels: Readonly<Record<string, string>> | null | undefined): Readonly<Record<string, string>> {
  if (!labels) return NO_LABELS;
  const keys = Object.keys(labels);
  if (keys.length === 0) return NO_LABELS;
  const copy: Record<string, string> = {};
  for (const key of keys) {
    if (key === '__proto__') Object.defineProperty(copy, key, { value: labels[key], enumerable: true });
    else copy[key] = labels[key] as string;
  }
  return Object.freeze(copy);
}

function imageUses(podSpecPath: string, spec: PodSpecInput): ImageUse[] {
  const uses: ImageUse[] = [];
  for (const section of CONTAINER_SECTIONS) {
    (spec[section] ?? []).forEach((container: ContainerInput, index: number) => {
      if (!container.image) return;
      const path = `${podSpecPath}.${section}[${index}].image`;
      const { image, name, imagePullPolicy: pullPolicy } = container;
      uses.push(imageUse({ image, name, section, path, pullPolicy }));
    });
  }
  (spec.volumes ?? []).forEach((volume, index) => {
    const reference = volume.image?.reference;
    if (!reference) return;
    const path = `${podSpecPath}.volumes[${index}].image.reference`;
    const pullPolicy = volume.image?.pullPolicy;
    uses.push(imageUse({ image: reference, name: volume.name, section: 'volumes', path, pullPolicy }));
  });
  return uses;
}

interface ImageUseInput {
  readonly image: string;
  readonly name: Maybe<string>;
  readonly section: ImageUseSection;
  readonly path: string;
  readonly pullPolicy: Maybe<string>;
}

function imageUse({ image, name, section, path, pullPolicy }: ImageUseInput): ImageUse {
  const use: ImageUse = { image, name: name ?? '', section, path };
  return Object.freeze(pullPolicy == null ? use : { ...use, pullPolicy });
}

function copyTerm(term: NodeSelectorTermInput): NodeSelectorTerm {
  type Requirements = readonly NodeSelectorRequirement[];
  const copy: { matchExpressions?: Requirements; matchFields?: Requirements } = {};
  if (term.matchExpressions != null) copy.matchExpressions = Object.freeze(term.matchExpressions.map(copyRequirement));
  if (term.matchFields != null) copy.matchFields = Object.freeze(term.matchFields.map(copyRequirement));
  return Object.freeze(copy);
}

function copyRequirement(requirement: NodeSelectorRequirementInput): NodeSelectorRequirement {
  const { key, operator, values } = requirement;
  return Object.freeze(values == null ? { key, operator } : { key, operator, values: Object.freeze([...values]) });
}

function copyToleration(toleration: TolerationInput): Toleration {
  const copy: { key?: string; operator?: string; value?: string; effect?: string } = {};
  if (toleration.key != null) copy.key = toleration.key;
  if (toleration.operator != null) copy.operator = toleration.operator;
  if (toleration.value != null) copy.value = toleration.value;
  if (toleration.effect != null) copy.effect = toleration.effect;
  return Object.freeze(copy);
}

type Maybe<T> = T | null | undefined;

function nonEmpty(value: Maybe<string>): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : value;
}
