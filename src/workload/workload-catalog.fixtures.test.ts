/**
 * The Argo, Tekton, Knative and KServe fixtures of test/fixtures/objects/crd, read through BUILT_IN_WORKLOADS (the
 * one entry point for kinds): every pod spec view, and every image field of each fixture seen exactly once. The
 * JobSet, LeaderWorkerSet, Ray and Kubeflow fixtures: workload-catalog.ml-fixtures.test.ts; OpenKruise's:
 * workload-catalog.kruise-fixtures.test.ts.
 */
import t from 'tap';
import {
  crdFixtureFiles,
  crdFixturesOf,
  FIXTURE_GROUPS,
  imageFieldPaths,
  readCrdFixture,
  viewCrdFixture,
} from '../../test/helpers/crd-fixtures.js';

const C = 'containers';
const I = 'initContainers';
const DIGEST = 'sha256:0d27d8025031c96ad9a7bcb4d0fc26a6cca6cb6ead2baefaa33ef197c4213735';

// Written out by hand from the fixtures: every image field, with its kubectl-style path.
const EXPECTED: Record<string, unknown> = {
  'argo-rollout.yaml': [
    {
      at: 'spec.template.spec',
      secrets: ['regcred'],
      sa: 'default',
      uses: [
        ['spec.template.spec.initContainers[0].image', 'busybox:1.36', 'wait-for-db', I, null],
        ['spec.template.spec.containers[0].image', 'argoproj/rollouts-demo:blue', 'rollouts-demo', C, 'Always'],
      ],
    },
  ],
  'argo-workflow.yaml': [
    {
      at: 'spec',
      secrets: ['docker-registry-secret'],
      sa: 'workflow-runner',
      uses: [
        ['spec.templates[1].initContainers[0].image', 'alpine:latest', 'hello', I, null],
        ['spec.templates[1].container.image', 'docker/whalesay', '', C, 'IfNotPresent'],
        ['spec.templates[3].container.image', 'appropriate/curl', '', C, null],
        ['spec.templates[2].script.image', 'python:alpine3.6', '', C, null],
        ['spec.templates[3].sidecars[0].image', 'nginx:1.13', 'nginx', C, null],
        ['spec.templates[4].containerSet.containers[0].image', 'argoproj/argosay:v2', 'a', C, null],
        ['spec.templates[4].containerSet.containers[1].image', 'argoproj/argosay:v2', 'b', C, null],
      ],
    },
  ],
  'argo-workflowtemplate.yaml': [
    { at: 'spec', secrets: [], sa: 'default', uses: [['spec.templates[0].container.image', 'busybox', '', C, null]] },
  ],
  'argo-clusterworkflowtemplate.yaml': [
    {
      at: 'spec',
      secrets: [],
      sa: 'default',
      uses: [['spec.templates[0].container.image', 'docker/whalesay:latest', '', C, null]],
    },
  ],
  'argo-cronworkflow.yaml': [
    {
      at: 'spec.workflowSpec',
      secrets: ['cron-pull'],
      sa: 'default',
      uses: [['spec.workflowSpec.templates[0].container.image', 'docker/whalesay:latest', '', C, null]],
    },
  ],
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
};

for (const [file, expected] of Object.entries(EXPECTED)) {
  t.test(file, async (t) => {
    const views = viewCrdFixture(file);
    t.same(views, expected);
    const seen = views.flatMap((view) => view.uses.map(([path]) => String(path)));
    t.same(seen.sort(), imageFieldPaths(readCrdFixture(file)).sort(), 'every image field, each once');
  });
}

t.test('every Argo, Tekton, Knative and KServe fixture is checked above', async (t) => {
  t.same(crdFixturesOf('delivery'), Object.keys(EXPECTED).sort());
});

t.test('every fixture under test/fixtures/objects/crd belongs to one group of fixture tests', async (t) => {
  const prefixes: readonly string[] = Object.values(FIXTURE_GROUPS).flat();
  for (const file of crdFixtureFiles())
    t.ok(
      prefixes.some((prefix) => file.startsWith(prefix)),
      file,
    );
});

t.test('the image-field walker finds fields in lists and maps, and only string-valued ones', async (t) => {
  t.same(imageFieldPaths({ a: [{ image: 'x' }, { b: { image: 'y' } }], image: 3, c: { image: null } }), [
    'a[0].image',
    'a[1].b.image',
  ]);
});
