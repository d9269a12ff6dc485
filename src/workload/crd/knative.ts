/**
 * Knative Serving: a Service and a Configuration hold a RevisionTemplateSpec at spec.template, whose spec is a
 * RevisionSpec that inlines a core PodSpec; a Revision's spec is that RevisionSpec:
 * https://github.com/knative/serving/blob/main/pkg/apis/serving/v1/revision_types.go.
 * Knative Eventing's ContainerSource keeps a PodTemplateSpec at spec.template:
 * https://github.com/knative/eventing/blob/main/pkg/apis/sources/v1/container_types.go
 */
import { customWorkload, type CustomWorkloadKind } from '../custom-workload-kind.js';

const GROUP = 'serving.knative.dev';

export const KNATIVE_KINDS: readonly CustomWorkloadKind[] = Object.freeze([
  customWorkload({
    group: GROUP,
    version: 'v1',
    kind: 'Service',
    resource: 'services',
    podSpecs: ['spec.template.spec'],
  }),
  customWorkload({
    group: GROUP,
    version: 'v1',
    kind: 'Configuration',
    resource: 'configurations',
    podSpecs: ['spec.template.spec'],
  }),
  customWorkload({ group: GROUP, version: 'v1', kind: 'Revision', resource: 'revisions', podSpecs: ['spec'] }),
  customWorkload({
    group: 'sources.knative.dev',
    version: 'v1',
    kind: 'ContainerSource',
    resource: 'containersources',
    podSpecs: ['spec.template.spec'],
  }),
]);
