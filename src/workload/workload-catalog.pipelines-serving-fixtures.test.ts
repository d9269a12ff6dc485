/**
 * The Tekton, Knative and KServe fixtures of test/fixtures/objects/crd, read through BUILT_IN_WORKLOADS: every pod
 * spec view, and every image field of each fixture seen exactly once.
 */
import { testCrdFixtures } from '../../test/helpers/crd-fixtures.js';

const C = 'containers';
const DIGEST = 'sha256:0d27d8025031c96ad9a7bcb4d0fc26a6cca6cb6ead2baefaa33ef197c4213735';

// Written out by hand from the fixtures: every image field, with its kubectl-style path.
testCrdFixtures('pipelinesAndServing', {
  'tekton-task.yaml': [
    {
      at: 'spec',
      secrets: [],
      sa: 'default',
      uses: [
        ['spec.steps[1].image', 'gcr.io/kaniko-project/executor:v1.23.0', 'build', C, null],
        ['spec.steps[2].image', 'aquasec/trivy:0.50.1', 'scan', C, 'IfNotPresent'],
        ['spec.sidecars[0].image', 'registry:2', 'registry', C, null],
        ['spec.stepTemplate.image', 'docker.io/library/alpine:3.19', '', C, null],
      ],
    },
  ],
  'tekton-clustertask.yaml': [
    { at: 'spec', secrets: [], sa: 'default', uses: [['spec.steps[0].image', 'ubuntu', 'echo', C, null]] },
  ],
  'tekton-pipeline.yaml': [
    {
      at: 'spec',
      secrets: [],
      sa: 'default',
      uses: [
        ['spec.tasks[1].taskSpec.steps[0].image', 'ubuntu', 'echo', C, null],
        ['spec.finally[0].taskSpec.steps[0].image', 'curlimages/curl:8.7.1', 'post', C, null],
        ['spec.finally[0].taskSpec.sidecars[0].image', 'envoyproxy/envoy:v1.30.1', 'proxy', C, null],
      ],
    },
  ],
  'tekton-taskrun.yaml': [
    {
      at: 'spec.podTemplate',
      secrets: ['tekton-pull'],
      sa: 'default',
      uses: [
        ['spec.taskSpec.steps[0].image', 'docker.io/library/busybox', 'read', C, null],
        ['spec.taskSpec.sidecars[0].image', 'docker:dind', 'docker', C, null],
      ],
    },
  ],
  'tekton-pipelinerun.yaml': [
    {
      at: 'spec.taskRunTemplate.podTemplate',
      secrets: [],
      sa: 'default',
      uses: [
        ['spec.pipelineSpec.tasks[0].taskSpec.steps[0].image', 'ubuntu', 'echo', C, null],
        ['spec.pipelineSpec.finally[0].taskSpec.steps[0].image', 'mirror.gcr.io/ubuntu', 'echo', C, null],
      ],
    },
  ],
  'knative-service.yaml': [
    {
      at: 'spec.template.spec',
      secrets: [],
      sa: 'default',
      uses: [
        ['spec.template.spec.containers[0].image', 'ghcr.io/knative/helloworld-go:latest', '', C, null],
        ['spec.template.spec.containers[1].image', 'gcr.io/knative-samples/helloworld-java', 'sidecar', C, null],
      ],
    },
  ],
  'knative-configuration.yaml': [
    {
      at: 'spec.template.spec',
      secrets: [],
      sa: 'knative-sa',
      uses: [['spec.template.spec.containers[0].image', 'gcr.io/knative-samples/helloworld-go', '', C, 'IfNotPresent']],
    },
  ],
  'knative-revision.yaml': [
    {
      at: 'spec',
      secrets: [],
      sa: 'knative-sa',
      uses: [['spec.containers[0].image', `gcr.io/knative-samples/helloworld-go@${DIGEST}`, 'user-container', C, null]],
    },
  ],
  'kserve-inferenceservice.yaml': [
    { at: 'spec.predictor', secrets: ['hf-pull'], sa: 'sa-s3', uses: [] },
    {
      at: 'spec.predictor.workerSpec',
      secrets: [],
      sa: 'default',
      uses: [
        [
          'spec.predictor.workerSpec.containers[0].image',
          'kserve/huggingfaceserver:v0.14.0-gpu',
          'worker-container',
          C,
          null,
        ],
      ],
    },
    {
      at: 'spec.transformer',
      secrets: [],
      sa: 'default',
      uses: [['spec.transformer.containers[0].image', 'kserve/image-transformer:latest', 'kserve-container', C, null]],
    },
    { at: 'spec.explainer', secrets: [], sa: 'default', uses: [] },
    {
      at: 'spec.predictor',
      secrets: ['hf-pull'],
      sa: 'sa-s3',
      uses: [
        ['spec.predictor.model.image', 'kserve/huggingfaceserver:v0.14.0-gpu', '', C, 'IfNotPresent'],
        ['spec.explainer.art.image', 'kserve/art-explainer:v0.14.0', 'explainer', C, null],
      ],
    },
  ],
  'kserve-servingruntime.yaml': [
    {
      at: 'spec',
      secrets: ['hf-runtime-pull'],
      sa: 'default',
      uses: [
        ['spec.containers[0].image', 'kserve/huggingfaceserver:v0.14.0-gpu', 'kserve-container', C, 'IfNotPresent'],
      ],
    },
    {
      at: 'spec.workerSpec',
      secrets: [],
      sa: 'default',
      uses: [
        ['spec.workerSpec.containers[0].image', 'kserve/huggingfaceserver:v0.14.0-gpu', 'worker-container', C, null],
      ],
    },
  ],
  'kserve-clusterservingruntime.yaml': [
    {
      at: 'spec',
      secrets: [],
      sa: 'default',
      uses: [['spec.containers[0].image', 'kserve/sklearnserver:latest', 'kserve-container', C, null]],
    },
  ],
  'kserve-clusterstoragecontainer.yaml': [
    {
      at: 'spec',
      secrets: [],
      sa: 'default',
      uses: [['spec.container.image', 'kserve/storage-initializer:v0.14.0', 'storage-initializer', C, null]],
    },
  ],
  'knative-containersource.yaml': [
    {
      at: 'spec.template.spec',
      secrets: [],
      sa: 'default',
      uses: [
        [
          'spec.template.spec.containers[0].image',
          'gcr.io/knative-nightly/knative.dev/eventing/cmd/heartbeats',
          'heartbeats',
          C,
          null,
        ],
      ],
    },
  ],
});
