/**
 * The AdmissionReview v1 envelope as the API server sends it (admission.k8s.io/v1, kubernetes/api
 * `admission/v1/types.go`). Only the fields pullguard reads are declared; everything else is let through untouched.
 * The object itself is checked later, by the workload extractor, against the part of the pod spec it reads.
 */
import Type, { type Static } from 'typebox';

const GroupVersionKind = Type.Object({ group: Type.String(), version: Type.String(), kind: Type.String() });
const GroupVersionResource = Type.Object({ group: Type.String(), version: Type.String(), resource: Type.String() });
const KubeObject = Type.Union([Type.Object({}), Type.Null()]);

export const AdmissionRequestSchema = Type.Object({
  uid: Type.String({ minLength: 1, maxLength: 256 }),
  kind: GroupVersionKind,
  resource: Type.Optional(GroupVersionResource),
  subResource: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  namespace: Type.Optional(Type.String()),
  operation: Type.Union([
    Type.Literal('CREATE'),
    Type.Literal('UPDATE'),
    Type.Literal('DELETE'),
    Type.Literal('CONNECT'),
  ]),
  userInfo: Type.Optional(Type.Object({})),
  object: Type.Optional(KubeObject),
  oldObject: Type.Optional(KubeObject),
  dryRun: Type.Optional(Type.Boolean()),
});

export const AdmissionReviewSchema = Type.Object({
  apiVersion: Type.Literal('admission.k8s.io/v1'),
  kind: Type.Literal('AdmissionReview'),
  request: AdmissionRequestSchema,
});

export type AdmissionRequest = Static<typeof AdmissionRequestSchema>;
export type GroupVersionKind = Static<typeof GroupVersionKind>;
