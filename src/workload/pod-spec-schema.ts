/**
 * The parts of a core/v1 PodSpec that pullguard reads, as a lenient TypeBox schema: unknown fields are allowed
 * (the API server already validated the rest, and `pullguard check` must not trip over fields it does not read),
 * optional fields and lists may be absent or null. Field names follow k8s.io/api/core/v1.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/** Absent, null, or the given schema. */
const Maybe = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

const ContainerSchema = Type.Object({
  name: Maybe(Type.String()),
  image: Maybe(Type.String()),
  imagePullPolicy: Maybe(Type.String()),
});

const ImageVolumeSourceSchema = Type.Object({
  reference: Maybe(Type.String()),
  pullPolicy: Maybe(Type.String()),
});

const VolumeSchema = Type.Object({
  name: Maybe(Type.String()),
  image: Maybe(ImageVolumeSourceSchema),
});

const NodeSelectorRequirementSchema = Type.Object({
  key: Type.String(),
  operator: Type.String(),
  values: Maybe(Type.Array(Type.String())),
});

const NodeSelectorTermSchema = Type.Object({
  matchExpressions: Maybe(Type.Array(NodeSelectorRequirementSchema)),
  matchFields: Maybe(Type.Array(NodeSelectorRequirementSchema)),
});

const AffinitySchema = Type.Object({
  nodeAffinity: Maybe(
    Type.Object({
      requiredDuringSchedulingIgnoredDuringExecution: Maybe(
        Type.Object({ nodeSelectorTerms: Maybe(Type.Array(NodeSelectorTermSchema)) }),
      ),
    }),
  ),
});

const TolerationSchema = Type.Object({
  key: Maybe(Type.String()),
  operator: Maybe(Type.String()),
  value: Maybe(Type.String()),
  effect: Maybe(Type.String()),
});

export const PodSpecSchema = Type.Object({
  initContainers: Maybe(Type.Array(ContainerSchema)),
  containers: Maybe(Type.Array(ContainerSchema)),
  ephemeralContainers: Maybe(Type.Array(ContainerSchema)),
  volumes: Maybe(Type.Array(VolumeSchema)),
  imagePullSecrets: Maybe(Type.Array(Type.Object({ name: Maybe(Type.String()) }))),
  serviceAccountName: Maybe(Type.String()),
  serviceAccount: Maybe(Type.String()),
  nodeSelector: Maybe(Type.Record(Type.String(), Type.String())),
  affinity: Maybe(AffinitySchema),
  tolerations: Maybe(Type.Array(TolerationSchema)),
  nodeName: Maybe(Type.String()),
  os: Maybe(Type.Object({ name: Maybe(Type.String()) })),
});

export type PodSpecInput = Static<typeof PodSpecSchema>;
export type ContainerInput = Static<typeof ContainerSchema>;
export type NodeSelectorTermInput = Static<typeof NodeSelectorTermSchema>;
export type NodeSelectorRequirementInput = Static<typeof NodeSelectorRequirementSchema>;
export type TolerationInput = Static<typeof TolerationSchema>;

/**
 * Compiled once at module load. The admission and check paths use the same validator precompiled into
 * pod-spec-check.generated.ts (one cheap module instead of TypeBox's ~700), and load this one only to explain a
 * spec that failed it.
 */
export const podSpecValidator = Compile(PodSpecSchema);
