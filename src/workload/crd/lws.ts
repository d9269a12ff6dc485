/**
 * LeaderWorkerSet: spec.leaderWorkerTemplate holds two PodTemplateSpecs, `leaderTemplate` (optional: the leader
 * then uses the worker template) and `workerTemplate`:
 * https://github.com/kubernetes-sigs/lws/blob/main/api/leaderworkerset/v1/leaderworkerset_types.go
 */
import { customWorkload, type CustomWorkloadKind } from '../custom-workload-kind.js';

export const LWS_KINDS: readonly CustomWorkloadKind[] = Object.freeze([
  customWorkload({
    group: 'leaderworkerset.x-k8s.io',
    version: 'v1',
    kind: 'LeaderWorkerSet',
    resource: 'leaderworkersets',
    podSpecs: ['spec.leaderWorkerTemplate.leaderTemplate.spec', 'spec.leaderWorkerTemplate.workerTemplate.spec'],
  }),
]);
