/**
 * Validates a rendered object against the Kubernetes OpenAPI schema of its kind (kubernetes-models), throwing with
 * the schema's message on the first violation.
 */
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration';
import type { K8sObject } from './render-manifests.js';

type Validatable = { validate(): void };
// The constructors' parameter types differ per kind; they only need to accept the parsed object.
type Factory = (object: K8sObject) => Validatable;

const FACTORIES: Readonly<Record<string, Factory>> = {
  'v1/Namespace': (o) => new Namespace(o as never),
  'v1/ServiceAccount': (o) => new ServiceAccount(o as never),
  'v1/ConfigMap': (o) => new ConfigMap(o as never),
  'v1/Secret': (o) => new Secret(o as never),
  'v1/Service': (o) => new Service(o as never),
  'apps/v1/Deployment': (o) => new Deployment(o as never),
  'batch/v1/Job': (o) => new Job(o as never),
  'rbac.authorization.k8s.io/v1/ClusterRole': (o) => new ClusterRole(o as never),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': (o) => new ClusterRoleBinding(o as never),
  'rbac.authorization.k8s.io/v1/Role': (o) => new Role(o as never),
  'rbac.authorization.k8s.io/v1/RoleBinding': (o) => new RoleBinding(o as never),
  'policy/v1/PodDisruptionBudget': (o) => new PodDisruptionBudget(o as never),
  'networking.k8s.io/v1/NetworkPolicy': (o) => new NetworkPolicy(o as never),
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': (o) =>
    new ValidatingWebhookConfiguration(o as never),
};

/** Throws unless `object` is a known kind that passes its schema. */
export function validateAgainstSchema(object: K8sObject): void {
  const factory = FACTORIES[`${object.apiVersion}/${object.kind}`];
  if (!factory) throw new Error(`no schema for ${object.apiVersion}/${object.kind}`);
  factory(object).validate();
}
