/**
 * Finds fields that Kubernetes does not know (a typo such as `readOnlyRootFileSystem` is silently dropped by the API
 * server with a warning, and kubernetes-models' JSON schemas allow extra properties). Walks an object along the
 * generated model classes of @kubernetes/client-node, whose `attributeTypeMap` lists every field of every type.
 */
import * as k8s from '@kubernetes/client-node';

interface Attribute {
  readonly baseName: string;
  readonly type: string;
}
type ModelClass = { getAttributeTypeMap(): Attribute[] };

const models = k8s as unknown as Record<string, ModelClass | undefined>;

/** Field paths in `value` that model `typeName` (e.g. `V1Deployment`) does not define. */
export function unknownFields(value: unknown, typeName: string, path = ''): string[] {
  const arrayOf = /^Array<(.+)>$/.exec(typeName);
  if (arrayOf) {
    if (!Array.isArray(value)) return [];
    return value.flatMap((item, i) => unknownFields(item, arrayOf[1] ?? 'any', `${path}[${i}]`));
  }
  const mapOf = /^\{ \[key: string\]: (.+); \}$/.exec(typeName);
  if (mapOf) {
    if (value === null || typeof value !== 'object') return [];
    return Object.entries(value).flatMap(([k, v]) => unknownFields(v, mapOf[1] ?? 'any', `${path}.${k}`));
  }
  const model = models[typeName];
  if (!model || typeof model.getAttributeTypeMap !== 'function') return []; // primitives, IntOrString, any
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  return Object.entries(value).flatMap(([key, child]) => {
    const type = attributes.get(key);
    const childPath = path ? `${path}.${key}` : key;
    return type === undefined ? [childPath] : unknownFields(child, type, childPath);
  });
}

/** The client-node model of a kind, for the kinds the manifests ship. */
export const MODEL_OF_KIND: Readonly<Record<string, string>> = {
  Namespace: 'V1Namespace',
  ServiceAccount: 'V1ServiceAccount',
  ClusterRole: 'V1ClusterRole',
  ClusterRoleBinding: 'V1ClusterRoleBinding',
  Role: 'V1Role',
  RoleBinding: 'V1RoleBinding',
  ConfigMap: 'V1ConfigMap',
  Secret: 'V1Secret',
  Service: 'V1Service',
  Deployment: 'V1Deployment',
  Job: 'V1Job',
  PodDisruptionBudget: 'V1PodDisruptionBudget',
  NetworkPolicy: 'V1NetworkPolicy',
  ValidatingWebhookConfiguration: 'V1ValidatingWebhookConfiguration',
};
