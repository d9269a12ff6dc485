/**
 * Knative Serving: a Service and a Configuration hold a RevisionTemplateSpec at spec.template, whose spec is a
 * RevisionSpec that inlines a core PodSpec; a Revision's spec is that RevisionSpec:
 * https://github.com/knative/serving/blob/main/pkg/apis/serving/v1/revision_types.go.
 * Serving's v1alpha1, removed in Knative 0.19, kept the template elsewhere (`spec.runLatest.configuration.revisionTemplate`,
 * `spec.release…`), so the Serving rows read v1 and v1beta1 only:
 * https://github.com/knative/serving/blob/release-0.18/pkg/apis/serving/v1alpha1/service_types.go.
 * Knative Eventing's ContainerSource keeps a PodTemplateSpec at spec.template:
 * https://github.com/knative/eventing/blob/main/pkg/apis/sources/v1/container_types.go
 */
import { customWorkload, type CustomWorkloadKind } from '../custom-workload-kind.js';

const GROUP = 'serving.knative.dev';
const SERVING_VERSIONS = ['v1', 'v1beta1'];

export const KNATIVE_KINDS: readonly CustomWorkloadKind[] = Object.freeze([
  customWorkload({
    group: GROUP,
    version: 'v1',
    versions: SERVING_VERSIONS,
    kind: 'Service',
    resource: 'services',
    podSpecs: ['spec.template.spec'],
  }),
  customWorkload({
    group: GROUP,
    version: 'v1',
    versions: SERVING_VERSIONS,
    kind: 'Configuration',
    resource: 'configurations',
    podSpecs: ['spec.template.spec'],
  }),
  customWorkload({
    group: GROUP,
    version: 'v1',
    versions: SERVING_VERSIONS,
    kind: 'Revision',
    resource: 'revisions',
    podSpecs: ['spec'],
  }),
  customWorkload({
    group: 'sources.knative.dev',
    version: 'v1',
    kind: 'ContainerSource',
    resource: 'containersources',
    podSpecs: ['spec.template.spec'],
  }),
]);
